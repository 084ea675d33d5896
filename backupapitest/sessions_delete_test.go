package backupapitest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// DELETE /sessions/{id} answers 404 for a session that is no longer open,
// whether it was closed or timed out, as the requests it authenticated are
// then refused.
func TestDeletingASessionThatTimedOutIsNotFound(t *testing.T) {
	cases := []struct {
		name string
		idle time.Duration
		want int
	}{
		{"a session within its inactivity timeout is closed", 9 * time.Minute, http.StatusOK},
		{"a session idle past its inactivity timeout is not found", 11 * time.Minute, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
			srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithSessionTimeout(10*time.Minute))
			login, out := rawXC(t, srv, httptest.NewRequest(http.MethodPost, "/sessions", strings.NewReader(`{"UserId":"ADMIN","password":"Passw0rd"}`)))
			require.Equal(t, http.StatusOK, login.StatusCode)
			id := out.(map[string]any)["messages"].([]any)[0].(map[string]any)["id"].(string)
			clock.Advance(tc.idle)

			resp, _ := rawXC(t, srv, gemRequest(http.MethodDelete, "/sessions/"+id, ""))
			assert.Equal(t, tc.want, resp.StatusCode)
			resp, _ = rawXC(t, srv, sessionRequest(login, false))
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the session is closed either way")
		})
	}
}
