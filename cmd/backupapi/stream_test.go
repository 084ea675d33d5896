package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// firstLine records when the first line is written.
type firstLine struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	seen chan struct{}
	once sync.Once
}

func (f *firstLine) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf.Write(p)
	if bytes.Count(f.buf.Bytes(), []byte("\n")) >= 2 { // the header and a user
		f.once.Do(func() { close(f.seen) })
	}
	return len(p), nil
}

// TestUsersListPrintsItsFirstLinesAtOnce serves a ListUsers answer whose
// second half is sent only once the command has printed users of the
// first: a command that held the whole list would wait forever.
func TestUsersListPrintsItsFirstLinesAtOnce(t *testing.T) {
	out := &firstLine{seen: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		write := func(from, to int) {
			for i := from; i < to; i++ {
				sep := ","
				if i == 0 {
					sep = `{"Status":"OK","User":[`
				}
				fmt.Fprintf(w, `%s{"LoginName":"user%05d","ClientType":"OBM"}`, sep, i)
			}
			w.(http.Flusher).Flush()
		}
		write(0, 500)
		select {
		case <-out.seen:
		case <-time.After(10 * time.Second):
			t.Error("the command printed nothing before the whole list arrived")
		}
		write(500, 1000)
		fmt.Fprint(w, `]}`)
	}))
	defer srv.Close()
	t.Setenv("AHSAY_URL", srv.URL)
	t.Setenv("AHSAY_SYSUSER", "system")
	t.Setenv("AHSAY_SYSPWD", "system1")
	var errOut bytes.Buffer
	code := run(context.Background(), []string{"ahsay", "users", "list", "--allow-http", "-o", "csv"}, stdio{in: strings.NewReader(""), out: out, errOut: &errOut})
	require.Equal(t, 0, code, errOut.String())
	assert.Equal(t, 1001, strings.Count(out.buf.String(), "\n"), "a header and 1000 users")
}

func TestAWaitShowsAProgressBarOnATerminal(t *testing.T) {
	xc := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(400 * time.Millisecond))
	defer xc.Close()
	caFile := writeCA(t, xc.Server)
	t.Setenv("XCLARITY_URL", xc.URL)
	t.Setenv("XCLARITY_USER", xc.Username)
	t.Setenv("XCLARITY_PASSWORD", xc.Password)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"xclarity", "backups", "copy", "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "--to", "/mnt/s", "--wait", "--ca-file", caFile},
		stdio{in: strings.NewReader(""), out: &out, errOut: &errOut, errTTY: true})
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "job 17 Complete")
	assert.Contains(t, errOut.String(), "copy", "the bar is labelled")
	assert.Contains(t, errOut.String(), "\r", "a bar redraws its line")
	assert.Contains(t, errOut.String(), "100%", "a wait that succeeded ends its bar at 100 %")
	assert.NotContains(t, errOut.String(), "copy: 0% Pending\n", "not the plain lines of a non-terminal")
}
