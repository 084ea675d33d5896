package backupapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeJSONBehavesAsAStreamingDecoder(t *testing.T) {
	type answer struct {
		Status string
		N      int
	}
	reset := errors.New("connection reset by peer")
	cases := []struct {
		name    string
		body    io.Reader
		want    answer
		wantErr func(error) bool
	}{
		{"decodes a whole answer", strings.NewReader(`{"Status":"OK","N":3}`), answer{"OK", 3}, nil},
		{"ignores what follows the first value", strings.NewReader(`{"Status":"OK","N":3} trailing <html>`), answer{"OK", 3}, nil},
		{"reports a cut-off value as io.ErrUnexpectedEOF", strings.NewReader(`{"Status":"OK","N":`), answer{},
			func(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) }},
		{"reports an empty body as io.EOF", strings.NewReader(``), answer{},
			func(err error) bool { return errors.Is(err, io.EOF) }},
		{"reports invalid JSON as a syntax error", strings.NewReader(`{"Status":OK}`), answer{},
			func(err error) bool { var s *json.SyntaxError; return errors.As(err, &s) }},
		{"reports a wrong type as a type error", strings.NewReader(`{"Status":"OK","N":"x"}`), answer{Status: "OK"},
			func(err error) bool { var u *json.UnmarshalTypeError; return errors.As(err, &u) }},
		{"reports a read that failed mid-value with the read's error",
			io.MultiReader(strings.NewReader(`{"Status":"O`), failingReader{reset}), answer{},
			func(err error) bool { return errors.Is(err, reset) }},
		{"keeps a complete value that a failed read followed",
			io.MultiReader(strings.NewReader(`{"Status":"OK","N":1}`), failingReader{syscall.ECONNRESET}), answer{"OK", 1}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got answer
			err := decodeJSON(tc.body, &got, DefaultMaxResponseBytes)
			if tc.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.True(t, tc.wantErr(err), "unexpected error %v", err)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDecodeJSONReusesOnlyModestBuffers(t *testing.T) {
	t.Run("a decoded answer does not share memory with the pooled buffer", func(t *testing.T) {
		var first struct{ Name string }
		require.NoError(t, decodeJSON(strings.NewReader(`{"Name":"first"}`), &first, DefaultMaxResponseBytes))
		var second struct{ Name string }
		require.NoError(t, decodeJSON(strings.NewReader(`{"Name":"XXXXXX"}`), &second, DefaultMaxResponseBytes))
		assert.Equal(t, "first", first.Name)
	})
	t.Run("a buffer grown by a large answer is not kept", func(t *testing.T) {
		big := bytes.NewBuffer(make([]byte, 0, maxPooledAnswer+1))
		putAnswerBuffer(big)
		for i := 0; i < 100; i++ {
			b := answerBuffers.Get().(*bytes.Buffer)
			require.LessOrEqual(t, b.Cap(), maxPooledAnswer)
		}
	})
}
