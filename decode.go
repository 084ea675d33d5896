package backupapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sync"
)

// decodeJSON reads a whole answer into a pooled buffer and decodes it. A
// json.Decoder would allocate its own buffer and grow it several times on
// every call (about 13 KiB for a 6 KiB answer).
//
// When reading failed or the bytes are not one valid JSON value, it decodes
// again with a json.Decoder over what was read, followed by the read error:
// errors and tolerance are then exactly a streaming decoder's (the first
// value counts and trailing data is ignored; a cut-off value is
// io.ErrUnexpectedEOF; a failed read is that read's error). json.Unmarshal
// checks the syntax before it stores anything, so out is untouched when the
// second pass runs. The answer goes through checkAnswer first (see there);
// maxBytes is the client's WithMaxResponseBytes.
func decodeJSON(r io.Reader, out any, maxBytes int64) error {
	buf, readErr := readAnswer(r)
	defer putAnswerBuffer(buf)
	if err := checkAnswer(buf.Bytes(), out, maxBytes, readErr == nil); err != nil {
		return err
	}
	if readErr == nil {
		err := json.Unmarshal(buf.Bytes(), out)
		var syntax *json.SyntaxError
		if !errors.As(err, &syntax) {
			return err
		}
	}
	var rest io.Reader = bytes.NewReader(buf.Bytes())
	if readErr != nil {
		rest = io.MultiReader(rest, failingReader{readErr})
	}
	return json.NewDecoder(rest).Decode(out)
}

// unmarshalAnswer decodes a whole answer b into out, through checkAnswer.
func unmarshalAnswer(b []byte, out any, maxBytes int64) error {
	if err := checkAnswer(b, out, maxBytes, true); err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// checkAnswer is the decoders' one check of an answer before it is
// decoded. An answer of either product is a JSON object or array: a text
// body ("404 page not found") is errNotJSON, never read as the number it
// starts with. And what decoding b may allocate is bounded, not only b's
// size: every array element of b becomes at least one element of the
// largest kind the answer's type holds (a 3-byte {} in a ListUsers answer
// is a whole User), so the elements times that size must stay within
// decodedFactor times maxBytes, else *tooManyRecordsError. whole says b is
// the whole answer; a part (a read that failed) is only sniffed.
func checkAnswer(b []byte, out any, maxBytes int64, whole bool) error {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	if i == len(b) {
		return nil // empty: the decoder reports io.EOF
	}
	if b[i] != '{' && b[i] != '[' {
		return errNotJSON
	}
	size, dynamic := decodedElementSize(reflect.TypeOf(out))
	if !whole || size == 0 || maxBytes <= 0 {
		return nil
	}
	limit := decodedFactor * maxBytes / size
	if n := countElements(b[i:], limit, dynamic); n > limit {
		return &tooManyRecordsError{limit: limit}
	}
	return nil
}

// dynamicValueSize is what each element, object and member of an answer
// decoded into an interface (an any, a map[string]any) costs, in bytes:
// measured, a few small maps and their entries cost 60 to 200 bytes each,
// a number in an array 17.
const dynamicValueSize = 96

// decodedFactor bounds what an answer may decode to: this many times the
// response limit (WithMaxResponseBytes).
const decodedFactor = 16

// errNotJSON: the answer is text, not a JSON object or array.
var errNotJSON = errors.New("the answer is not JSON")

// tooManyRecordsError: the answer holds more elements than the client
// decodes (see checkAnswer).
type tooManyRecordsError struct{ limit int64 }

func (e *tooManyRecordsError) Error() string {
	return fmt.Sprintf("the answer holds more than %d records, more than the client decodes within %d times WithMaxResponseBytes", e.limit, decodedFactor)
}

// countElements counts the array elements in the JSON text b, and with
// members the objects and their members too (a map and its entries when
// decoded into an interface), stopping once the count passes limit. It reads b
// as JSON only as far as strings and brackets: b need not be valid.
func countElements(b []byte, limit int64, members bool) int64 {
	var n int64
	// inArray[d] says whether the bracket at depth d is an array; pending
	// says an array was just opened and its first element not yet seen.
	var depth [64]bool // on the stack for the usual nesting
	stack := depth[:0]
	pending := false
	for i := 0; i < len(b) && n <= limit; i++ {
		c := b[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case ',':
			if len(stack) > 0 && (members || stack[len(stack)-1]) {
				n++
			}
			pending = false
			continue
		}
		if pending && c != ']' && c != '}' {
			n++
		}
		pending = false
		switch c {
		case '[':
			stack = append(stack, true)
			pending = true
		case '{':
			stack = append(stack, false)
			pending = members
			if members {
				n++ // the map the object becomes
			}
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return n
}

// decodedElementSize returns the size of the largest element of any slice
// or array a value of type t holds, through structs, pointers and
// elements (a map's entry counts as its key and value, an interface as
// dynamicValueSize). 0: t holds none. dynamic says t holds an interface,
// into which every object member of the answer may become a map entry of
// that size. (A typed map costs far less per entry, and an SDK answer
// type's Extra map holds only what its record's fields do not.)
func decodedElementSize(t reflect.Type) (size int64, dynamic bool) {
	if t == nil {
		return 0, false
	}
	if v, ok := elementSizes.Load(t); ok {
		e := v.(elementSize)
		return e.size, e.dynamic
	}
	var e elementSize
	e.size = largestElement(t, map[reflect.Type]bool{}, &e.dynamic)
	elementSizes.Store(t, e)
	return e.size, e.dynamic
}

// elementSize is decodedElementSize's answer for one type.
type elementSize struct {
	size    int64
	dynamic bool
}

var elementSizes sync.Map // reflect.Type → elementSize

func largestElement(t reflect.Type, seen map[reflect.Type]bool, dynamic *bool) int64 {
	if seen[t] {
		return 0
	}
	seen[t] = true
	var size int64
	switch t.Kind() {
	case reflect.Pointer:
		size = largestElement(t.Elem(), seen, dynamic)
	case reflect.Struct:
		for i := range t.NumField() {
			size = max(size, largestElement(t.Field(i).Type, seen, dynamic))
		}
	case reflect.Slice, reflect.Array:
		size = max(int64(t.Elem().Size()), largestElement(t.Elem(), seen, dynamic))
	case reflect.Map:
		size = max(int64(t.Key().Size()+t.Elem().Size()), largestElement(t.Elem(), seen, dynamic))
	case reflect.Interface:
		*dynamic = true
		size = dynamicValueSize
	}
	return size
}

// maxPooledAnswer bounds the buffers kept for reuse: one large answer must
// not pin its memory for the life of the process.
const maxPooledAnswer = 256 << 10

var answerBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

// readAnswer reads r to its end into a pooled buffer, which the caller
// returns with putAnswerBuffer once nothing refers to its bytes (whatever
// json.Unmarshal decodes from them is a copy). On a read error the buffer
// holds what was read before it.
func readAnswer(r io.Reader) (*bytes.Buffer, error) {
	buf := answerBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	_, err := buf.ReadFrom(r)
	return buf, err
}

func putAnswerBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledAnswer {
		answerBuffers.Put(b)
	}
}

// failingReader reports err on every Read.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }
