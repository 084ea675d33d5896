package backupapi

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// panickingReader is an upload's body whose Read panics (a defect in the
// caller's reader).
type panickingReader struct{ value any }

func (r panickingReader) Read([]byte) (int, error) { panic(r.value) }

// TestAPanicInAnUploadsReaderReachesItsCaller: ImportBackup reads the
// caller's body in a goroutine of its own; a panic there is raised again,
// with its value, in the caller's goroutine, after the upload has
// stopped, where the caller can recover it, instead of ending the program
// from a goroutine no caller can reach.
func TestAPanicInAnUploadsReaderReachesItsCaller(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"a string", "a defect in a reader"},
		{"an error", io.ErrShortBuffer},
	} {
		t.Run("a reader panicking with "+tc.name+" panics ImportBackup's caller", func(t *testing.T) {
			c := newLoopbackXClarity(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"result":"success","jobId":"42"}`))
			}), WithBasicAuth())
			assert.PanicsWithValue(t, tc.v, func() {
				_, _ = c.ImportBackup(context.Background(), &ImportBackupRequest{Filename: "b.tgz", Body: panickingReader{tc.v}})
			})
		})
	}
}
