package backupapi

import "io"

// recordCounter counts, as the bytes of a streamed ListUsers answer flow
// to its decoder, the elements each user record holds (countElements'
// rule, one record at a time), and fails the read once one record holds
// more than limit: the decoded-memory bound of checkAnswer, applied to
// every record without decoding it twice. It follows the whole stream (the
// envelope included), so strings and nesting are always read right; a
// record is an object at depth 3 ({"User":[{…}]}) and its count starts
// when it opens, whatever the decoder has read ahead.
type recordCounter struct {
	r       io.Reader
	limit   int64 // <= 0: no bound
	members bool  // count object members too (a dynamic destination)

	n        int64  // elements of the record being read
	stack    []bool // open containers: true for an array
	inString bool
	escape   bool
	pending  bool // an array just opened: its first element not seen yet
}

func (c *recordCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.limit > 0 {
		for _, b := range p[:n] {
			c.step(b)
		}
		if c.n > c.limit {
			return n, &tooManyRecordsError{limit: c.limit}
		}
	}
	return n, err
}

// step reads one byte of the answer.
func (c *recordCounter) step(b byte) {
	if c.inString {
		switch {
		case c.escape:
			c.escape = false
		case b == '\\':
			c.escape = true
		case b == '"':
			c.inString = false
		}
		return
	}
	inRecord := len(c.stack) >= 3
	switch b {
	case ' ', '\t', '\r', '\n':
		return
	case ',':
		if inRecord && (c.members || c.stack[len(c.stack)-1]) {
			c.n++
		}
		c.pending = false
		return
	}
	if c.pending && b != ']' && b != '}' && inRecord {
		c.n++
	}
	c.pending = false
	switch b {
	case '"':
		c.inString = true
	case '[':
		c.stack = append(c.stack, true)
		c.pending = true
	case '{':
		if len(c.stack) == 2 { // a user record opens
			c.n = 0
		}
		c.stack = append(c.stack, false)
		c.pending = c.members
		if c.members && len(c.stack) >= 3 {
			c.n++
		}
	case ']', '}':
		if len(c.stack) > 0 {
			c.stack = c.stack[:len(c.stack)-1]
		}
	}
}
