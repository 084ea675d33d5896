package backupapi

import (
	"context"
	"net/http"
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
			defer close(release)
			c := newLoopbackAhsay(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					tc.first(w, r, release)
					return
				}
				_, _ = w.Write(answer)
			}), WithTimeout(200*time.Millisecond),
				WithRetry(2, time.Millisecond, time.Millisecond))
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
		defer close(release)
		c := newLoopbackAhsay(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			stall(r, release)
		}), WithTimeout(200*time.Millisecond))
		err := c.AddUser(context.Background(), &AddUserRequest{UserRef: obm, Password: "p"})
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
		assert.EqualValues(t, 1, calls.Load())
	})
}
