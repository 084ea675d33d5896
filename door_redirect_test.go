package backupapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestARedirectedStateChangeThatFailsOnTheNextHopIsNotRepeated: a server
// answered the first request with a 307 (so the request reached it, and
// it may have acted), and the hop the redirect leads to fails before it
// connects (here: https to a port that speaks plain http). The request
// left, so the change is neither repeated nor anything but
// ErrOutcomeUnknown.
func TestARedirectedStateChangeThatFailsOnTheNextHopIsNotRepeated(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			for _, op := range stateChanges {
				if op.idempotent {
					continue
				}
				t.Run(op.name, func(t *testing.T) {
					for _, product := range op.products() {
						s := &countingServer{}
						s.Server = httptest.NewServer(s.handler(func(w http.ResponseWriter, r *http.Request) {
							w.Header().Set("Location", "https://"+r.Host+r.URL.Path)
							w.WriteHeader(http.StatusTemporaryRedirect)
						}))
						a, x := sweepClients(t, s.URL, tr.wrap(newTestTransport()))
						var err error
						if product == "ahsay" {
							err = op.ahsay(context.Background(), a)
						} else {
							err = op.xclarity(context.Background(), x)
						}
						s.Close()
						require.Error(t, err)
						assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: %v", product, err)
						assert.EqualValues(t, 1, s.reached.Load(), "%s: a request the server answered is never repeated: %v", product, err)
						assert.False(t, strings.Contains(err.Error(), "nothing was sent"), "%s: %v", product, err)
					}
				})
			}
		})
	}
}

// TestTheDoorTakesARedirectsNextHopForSent: http.Client sends each hop of
// a redirect as its own request; whatever becomes of a later hop, the
// server answered the one before it.
func TestTheDoorTakesARedirectsNextHopForSent(t *testing.T) {
	redirected := &http.Request{Response: &http.Response{StatusCode: http.StatusTemporaryRedirect}}
	connecting := &attemptTrace{}
	connecting.getConn.Store(true)
	cases := []struct {
		name  string
		err   error
		trace *attemptTrace
	}{
		{"traced: the next hop got no connection", errors.New("anything"), connecting},
		{"untraced: the next hop failed to dial", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, nil},
		{"untraced: the next hop's handshake failed", http.ErrSchemeMismatch, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.True(t, mayHaveLeft(redirected, nil, tc.err, tc.trace))
			assert.False(t, mayHaveLeft(&http.Request{}, nil, tc.err, tc.trace), "the same failure on a first hop never left")
		})
	}
}

// TestDoRetriesOnlyARequestThatNeverLeft checks the claim of both Do
// methods' godoc: a refused connection is retried within the budget, a
// request that reached the server is sent once.
func TestDoRetriesOnlyARequestThatNeverLeft(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refused := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	a, x := sweepClients(t, refused, newTestTransport())
	for name, err := range map[string]error{
		"ahsay":    a.Do(context.Background(), "UpdateBackupSet", nil, nil),
		"xclarity": x.Do(context.Background(), http.MethodPost, "/x", map[string]any{}, nil),
	} {
		var e *Error
		require.ErrorAs(t, err, &e, name)
		assert.Equal(t, 3, e.Attempts, "%s: WithRetry(2): three attempts at a refused port", name)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, name)
	}
}

// TestARedirectToTheSameHostSpelledOtherwiseIsTheSameHost: host names are
// case-insensitive and a default port may be written or not; a redirect
// to the same host spelled otherwise is followed like any same-host one,
// and another host is still refused.
func TestARedirectToTheSameHostSpelledOtherwiseIsTheSameHost(t *testing.T) {
	cases := []struct {
		base, location string
		same           bool
	}{
		{"https://CBS.example.com", "https://cbs.example.com/x", true},
		{"https://cbs.example.com", "https://cbs.example.com:443/x", true},
		{"https://cbs.example.com:443", "https://CBS.EXAMPLE.COM/x", true},
		{"http://cbs.example.com", "http://cbs.example.com:80/x", true},
		{"https://cbs.example.com", "https://cbs.example.com:8443/x", false},
		{"https://cbs.example.com", "https://cbs.example.com.evil.example/x", false},
		{"https://cbs.example.com", "https://evil.example/x", false},
		{"http://cbs.example.com", "https://cbs.example.com:80/x", true},
	}
	for _, tc := range cases {
		t.Run(tc.base+" → "+tc.location, func(t *testing.T) {
			base, err := url.Parse(tc.base)
			require.NoError(t, err)
			first, err := http.NewRequest(http.MethodGet, tc.base+"/first", nil)
			require.NoError(t, err)
			next, err := http.NewRequest(http.MethodGet, tc.location, nil)
			require.NoError(t, err)
			next.Response = &http.Response{StatusCode: http.StatusFound}
			err = checkRedirect(next, []*http.Request{first}, base)
			if tc.same {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, "another host")
			}
		})
	}
}

// TestARedirectTheCallersCheckRedirectRefusesIsNotRetried: the caller's
// CheckRedirect refusing a redirect is a decision, not an outage: the
// read is not repeated, its error is the refused redirect (and keeps the
// caller's error), not "no answer from the server".
func TestARedirectTheCallersCheckRedirectRefusesIsNotRetried(t *testing.T) {
	s := &countingServer{}
	s.Server = httptest.NewServer(s.handler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/elsewhere")
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	defer s.Close()
	mine := errors.New("this program follows no redirects")
	hc := &http.Client{Transport: newTestTransport(), CheckRedirect: func(*http.Request, []*http.Request) error { return mine }}
	a, err := NewAhsayClient(s.URL, testSysUser, testSysPwd, WithHTTPClient(hc), WithRetry(2, 0, 0), WithAllowHTTP())
	require.NoError(t, err)
	_, err = a.ListUsers(context.Background(), nil)
	require.Error(t, err)
	assert.EqualValues(t, 1, s.reached.Load(), "not repeated: it would be refused the same")
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.NotErrorIs(t, err, ErrUnavailable)
	assert.ErrorIs(t, err, mine, "the caller's own error is kept")
	assert.Contains(t, err.Error(), "redirect")
}
