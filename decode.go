package backupapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
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
// second pass runs.
func decodeJSON(r io.Reader, out any) error {
	buf, readErr := readAnswer(r)
	defer putAnswerBuffer(buf)
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
