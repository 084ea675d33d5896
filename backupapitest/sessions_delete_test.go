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

// DELETE /sessions/{id} is authenticated by the ID it names, but a request
// that carries credentials the appliance refuses is refused (401) before
// it can close anything, as every other request with them is.
func TestDeletingASessionWithWrongCredentialsIsRefused(t *testing.T) {
	cases := []struct {
		name     string
		user, pw string // "" sends no credentials
		want     int
		open     int // sessions open afterwards
	}{
		{"no credentials: the ID is enough", "", "", http.StatusOK, 0},
		{"the appliance's credentials", backupapitest.DefaultUsername, backupapitest.DefaultPassword, http.StatusOK, 0},
		{"a wrong password", backupapitest.DefaultUsername, "wrong", http.StatusUnauthorized, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := backupapitest.NewUnstartedXClarityServer()
			login, out := rawXC(t, srv, httptest.NewRequest(http.MethodPost, "/sessions", strings.NewReader(`{"UserId":"ADMIN","password":"Passw0rd"}`)))
			require.Equal(t, http.StatusOK, login.StatusCode)
			id := out.(map[string]any)["response"].(map[string]any)["session"].(map[string]any)["id"].(string)
			r := httptest.NewRequest(http.MethodDelete, "/sessions/"+id, nil)
			if tc.user != "" {
				r.SetBasicAuth(tc.user, tc.pw)
			}
			resp, _ := rawXC(t, srv, r)
			assert.Equal(t, tc.want, resp.StatusCode)
			assert.Equal(t, tc.open, srv.Sessions())
		})
	}
}
