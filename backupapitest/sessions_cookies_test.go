package backupapitest_test

import (
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client that keeps the session in a cookie jar (pylxca's requests
// session, the gem's cookie_jar) gets its session back on the next
// request over https and over the fake's plain http alike: a Secure
// cookie is never sent over http, so the fake marks the session cookies
// Secure only over TLS, as the appliance (https only) always does.
func TestASessionCookieComesBackOverHTTPAndHTTPS(t *testing.T) {
	cases := []struct {
		name   string
		opts   []backupapitest.ServerOption
		secure bool
	}{
		{"over https", nil, true},
		{"over the fake's plain http", []backupapitest.ServerOption{backupapitest.PlainHTTP()}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := backupapitest.NewXClarityServer(tc.opts...)
			defer srv.Close()
			jar, err := cookiejar.New(nil)
			require.NoError(t, err)
			client := srv.Client()
			client.Jar = jar
			login, err := client.Post(srv.URL+"/sessions", "application/json", strings.NewReader(`{"UserId":"ADMIN","password":"Passw0rd"}`))
			require.NoError(t, err)
			login.Body.Close()
			require.Equal(t, http.StatusOK, login.StatusCode)
			var csrf string
			for _, ck := range login.Cookies() {
				assert.Equal(t, tc.secure, ck.Secure, ck.Name)
				if ck.Name == "csrf" {
					csrf = ck.Value
				}
			}
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/aicc", nil)
			require.NoError(t, err)
			req.Header.Set("X-Csrf-Token", csrf) // as pylxca sets it
			resp, err := client.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode, "the jar sent the session back")
		})
	}
}
