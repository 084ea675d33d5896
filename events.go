package backupapi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Severity is the kind of DCMaint message an event is.
type Severity string

// Severities, as the reference groups the events.
const (
	SeverityInformation Severity = "Information"
	SeverityWarning     Severity = "Warning"
	SeverityError       Severity = "Error"
	SeverityLog         Severity = "Log"
)

// Event is one Connected Backup Management API event: what the service
// writes to the DCMaint log. Description is the message template, with
// placeholders {0}, {1}, ...; Detail is the reference's additional
// information.
type Event struct {
	ID          int
	Severity    Severity
	Description string
	Detail      string
}

// LookupEvent returns the catalog's event with the given ID.
func LookupEvent(id int) (Event, bool) {
	i, found := slices.BinarySearchFunc(catalog, id, func(e Event, id int) int { return e.ID - id })
	if !found {
		return Event{}, false
	}
	return catalog[i], true
}

// Events returns every event of the reference, ordered by ID. The slice is
// a copy.
func Events() []Event { return slices.Clone(catalog) }

// Format fills the placeholders {0}, {1}, ... of the description with args
// (formatted with %v); a placeholder without an argument is left as it is.
func (e Event) Format(args ...any) string {
	segs := templates[e.ID]
	if segs == nil {
		segs = parseTemplate(e.Description)
	}
	var b strings.Builder
	for _, s := range segs {
		switch {
		case s.arg < 0:
			b.WriteString(s.lit)
		case s.arg < len(args):
			fmt.Fprint(&b, args[s.arg])
		default:
			b.WriteString("{" + strconv.Itoa(s.arg) + "}")
		}
	}
	return b.String()
}

// Err returns the unified error for this event, its message formatted with
// args. errors.Is matches it against the sentinel of the error table (see
// Error); the success events 11901, 11914 and 11917 match none.
func (e Event) Err(args ...any) *Error {
	err := &Error{Source: SourceConnectedBackup, EventID: e.ID, Message: e.Format(args...)}
	err.addKind(classifyEvent(e.ID))
	return err
}

// MatchEvent finds the event a logged message was written from and the
// values of its placeholders:
//
//	MatchEvent("No Available Capacity. Session 42 could not be served.")
//	// 11915, ["42"], true
//
// Surrounding white space is ignored. Where two templates match, the one
// with the longest literal text wins.
func MatchEvent(text string) (Event, []string, bool) {
	text = strings.TrimSpace(text)
	best, bestLit := -1, -1
	var bestArgs []string
	for i := range catalog {
		segs := templates[catalog[i].ID]
		args, ok := matchTemplate(segs, text)
		if !ok {
			continue
		}
		if lit := literalLen(segs); lit > bestLit {
			best, bestLit, bestArgs = i, lit, args
		}
	}
	if best < 0 {
		return Event{}, nil, false
	}
	return catalog[best], bestArgs, true
}

// segment is a piece of a template: literal text, or placeholder arg (>= 0).
type segment struct {
	lit string
	arg int
}

// templates holds each catalog event's parsed description.
var templates = func() map[int][]segment {
	m := make(map[int][]segment, len(catalog))
	for _, e := range catalog {
		m[e.ID] = parseTemplate(e.Description)
	}
	return m
}()

// parseTemplate splits "a {0} b" into literal and placeholder segments.
func parseTemplate(s string) []segment {
	var segs []segment
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			break
		}
		n, err := strconv.Atoi(s[open+1 : open+end])
		if err != nil || n < 0 {
			segs = append(segs, segment{lit: s[:open+end+1], arg: -1})
			s = s[open+end+1:]
			continue
		}
		if open > 0 {
			segs = append(segs, segment{lit: s[:open], arg: -1})
		}
		segs = append(segs, segment{arg: n})
		s = s[open+end+1:]
	}
	if s != "" {
		segs = append(segs, segment{lit: s, arg: -1})
	}
	return segs
}

// matchTemplate matches text against segs; each placeholder takes the
// shortest text up to the next literal (the last one takes the rest) and
// must not be empty.
func matchTemplate(segs []segment, text string) ([]string, bool) {
	var args []string
	for i, s := range segs {
		if s.arg < 0 {
			if !strings.HasPrefix(text, s.lit) {
				return nil, false
			}
			text = text[len(s.lit):]
			continue
		}
		var value string
		switch {
		case i == len(segs)-1:
			value, text = text, ""
		case i == len(segs)-2: // the last literal must end the text
			next := segs[i+1].lit
			if !strings.HasSuffix(text, next) || len(text) < len(next) {
				return nil, false
			}
			value, text = text[:len(text)-len(next)], text[len(text)-len(next):]
		default:
			next := segs[i+1].lit
			j := strings.Index(text, next)
			if j < 0 {
				return nil, false
			}
			value, text = text[:j], text[j:]
		}
		if value == "" {
			return nil, false
		}
		for len(args) <= s.arg {
			args = append(args, "")
		}
		args[s.arg] = value
	}
	return args, text == ""
}

func literalLen(segs []segment) int {
	n := 0
	for _, s := range segs {
		n += len(s.lit)
	}
	return n
}
