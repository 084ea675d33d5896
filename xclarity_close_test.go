package backupapi

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCloseDuringALoginReturnsOnlyOnceItsSessionIsEnded: Close's godoc
// says a login under way ends its session and Close waits for it. Close
// must not return while the DELETE /sessions of that session is still
// under way (a program that exits after Close would leave it open).
func TestCloseDuringALoginReturnsOnlyOnceItsSessionIsEnded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, m := newMockXC(t)
		release, logoutGate := make(chan struct{}), make(chan struct{})
		m.mt.RegisterResponder("POST", xcBase+"/sessions", func(r *http.Request) (*http.Response, error) {
			<-release
			return m.loginResponder(r)
		})
		m.mt.RegisterResponder("DELETE", xcBase+"/sessions", m.authed(func(r *http.Request) (*http.Response, error) {
			<-logoutGate
			m.logouts.Add(1)
			return httpmock.NewStringResponse(200, ""), nil
		}))
		result := make(chan error, 1)
		go func() {
			_, err := c.ListBackups(context.Background())
			result <- err
		}()
		synctest.Wait() // the login is under way
		closed := make(chan error, 1)
		go func() { closed <- c.Close(context.Background()) }()
		synctest.Wait() // Close waits for the login
		close(release)
		synctest.Wait() // the login ended; its session's logout is under way
		var early bool
		select {
		case err := <-closed:
			early = true
			closed <- err
		default:
		}
		close(logoutGate)
		assert.False(t, early, "Close returned while the login's session was still being ended")
		require.NoError(t, <-closed)
		assert.EqualValues(t, 1, m.logouts.Load(), "Close returned after the session was ended")
		assert.ErrorIs(t, <-result, ErrClosed)
	})
}
