package backupapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheAttemptTimeoutOnTheSDKsOwnTransport checks, over a real socket,
// that WithTimeout bounds the wait for headers and the reading of a body,
// and that a read is then tried again.
func TestTheAttemptTimeoutOnTheSDKsOwnTransport(t *testing.T) {
	answer := []byte(`{"Status":"OK","User":[{"LoginName":"a"}]}`)
	// stall holds a handler until the client gives up or the test ends.
	stall := func(r *http.Request, release chan struct{}) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	cases := []struct {
		name  string
		first func(w http.ResponseWriter, r *http.Request, release chan struct{})
	}{
		{"headers that come too late", func(w http.ResponseWriter, r *http.Request, release chan struct{}) { stall(r, release) }},
		{"a body that stalls half way", func(w http.ResponseWriter, r *http.Request, release chan struct{}) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(answer[:len(answer)/2])
			w.(http.Flusher).Flush()
			stall(r, release)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					tc.first(w, r, release)
					return
				}
				_, _ = w.Write(answer)
			}))
			defer srv.Close()
			defer close(release)
			c, err := NewAhsayClient(srv.URL, "system", "pw", WithAllowHTTP(), WithTimeout(200*time.Millisecond),
				WithRetry(2, time.Millisecond, time.Millisecond))
			require.NoError(t, err)
			start := time.Now()
			users, err := c.ListUsers(context.Background(), nil)
			require.NoError(t, err)
			assert.Len(t, users, 1)
			assert.Less(t, time.Since(start), 2*time.Second, "the stalled attempt was cut at the timeout")
			assert.EqualValues(t, 2, calls.Load())
		})
	}
	t.Run("a state change that stalls is not repeated", func(t *testing.T) {
		var calls atomic.Int32
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			stall(r, release)
		}))
		defer srv.Close()
		defer close(release)
		c, err := NewAhsayClient(srv.URL, "system", "pw", WithAllowHTTP(), WithTimeout(200*time.Millisecond))
		require.NoError(t, err)
		err = c.AddUser(context.Background(), &AddUserRequest{UserRef: obm, Password: "p"})
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.EqualValues(t, 1, calls.Load())
	})
}

func TestAnUploadIsBoundedByItsContextOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(500 * time.Millisecond) // the appliance validates the upload
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"result":"success","jobId":"42"}`))
	}))
	defer srv.Close()
	c, err := NewXClarityClient(srv.URL, "ADMIN", "pw", WithAllowHTTP(), WithBasicAuth(), WithTimeout(150*time.Millisecond))
	require.NoError(t, err)
	res, err := c.ImportBackup(context.Background(), &ImportBackupRequest{Filename: "b.tgz", Body: strings.NewReader("backup bytes")})
	require.NoError(t, err, "WithTimeout does not cut an upload off")
	assert.Equal(t, "42", res.JobID)
}

// watchedReader serves endless data, slowly after the first piece, and
// records whether it was being read, or read again, once the call that
// used it had returned.
type watchedReader struct {
	reads              atomic.Int32
	inRead             atomic.Bool
	returned, lateRead atomic.Bool
}

func (r *watchedReader) Read(p []byte) (int, error) {
	r.inRead.Store(true)
	defer r.inRead.Store(false)
	if r.returned.Load() {
		r.lateRead.Store(true)
	}
	if r.reads.Add(1) > 1 {
		time.Sleep(200 * time.Millisecond) // a slow source: a disk, a network stream
	}
	return copy(p, "backup bytes "), nil
}

func TestImportBackupStopsReadingBeforeItReturns(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Connection", "close") // answer now: do not drain the upload first
		w.WriteHeader(http.StatusBadRequest)  // refused before the body is read
		_, _ = w.Write([]byte(`{"result":"failed","messages":[{"id":"X","text":"no"}]}`))
	}))
	defer srv.Close()
	c, err := NewXClarityClient(srv.URL, "ADMIN", "pw", WithAllowHTTP(), WithBasicAuth())
	require.NoError(t, err)
	r := &watchedReader{}
	_, err = c.ImportBackup(context.Background(), &ImportBackupRequest{Filename: "b.tgz", Body: r})
	r.returned.Store(true)
	assert.False(t, r.inRead.Load(), "ImportBackup returned while its reader was still being read")
	require.Error(t, err)
	time.Sleep(300 * time.Millisecond)
	assert.False(t, r.lateRead.Load(), "the caller's reader was read after ImportBackup returned")
}

func TestAllUsersCountsOnlyNetworkTimeAsIdle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// Users large enough that the decoder reads again after each one.
		notes := strings.Repeat("n", 64<<10)
		_, _ = fmt.Fprintf(w, `{"Status":"OK","User":[{"LoginName":"a","Notes":%q},{"LoginName":"b","Notes":%q},{"LoginName":"c","Notes":%q}]}`, notes, notes, notes)
	}))
	defer srv.Close()
	c, err := NewAhsayClient(srv.URL, "system", "pw", WithAllowHTTP(), WithTimeout(100*time.Millisecond))
	require.NoError(t, err)
	var names []string
	for u, err := range c.AllUsers(context.Background(), nil) {
		require.NoError(t, err, "a slow consumer is not an idle server")
		names = append(names, u.LoginName)
		time.Sleep(150 * time.Millisecond) // the caller's own work on each user
	}
	assert.Equal(t, []string{"a", "b", "c"}, names)
}
