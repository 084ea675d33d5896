package backupapi

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSafeURLDropsUserInfoAndQueryWhetherOrNotTheURLParses(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://admin:Tr0ub%dor@cbs.example.com/x?pw=1#f", "https://***@cbs.example.com/x"},
		{"https://admin@cbs.example.com", "https://***@cbs.example.com"},
		{"https://a@b:c@cbs.example.com:8443/", "https://***@cbs.example.com:8443/"},
		{"admin:pw@cbs.example.com/x", "***@cbs.example.com/x"},
		{"https//admin:pw@cbs.example.com", "https//***@cbs.example.com"},
		{"https://cbs.example.com/path@with-at?q=1", "https://cbs.example.com/path@with-at"},
		{"https://[::1]:8443/obs", "https://[::1]:8443/obs"},
		{"", ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) { assert.Equal(t, tc.want, safeURL(tc.in)) })
	}
}

func TestSafeURLErrorKeepsTheCause(t *testing.T) {
	cause := errors.New("refused")
	err := safeURLError(&url.Error{Op: "Post", URL: "https://u:p@evil.example/x?token=t", Err: cause})
	assert.EqualError(t, err, `Post "https://***@evil.example/x": refused`)
	assert.ErrorIs(t, err, cause)
	plain := errors.New("not a URL error")
	assert.Same(t, plain, safeURLError(plain))
}

// TestABaseURLWithAPasswordIsRefusedWithoutQuotingIt: a password typed
// into a base URL unescaped may hold '/', '?', '#' or '\', which end the
// authority when the URL is parsed; no part of it appears in the error,
// whichever way the text would parse.
func TestABaseURLWithAPasswordIsRefusedWithoutQuotingIt(t *testing.T) {
	for _, raw := range []string{
		"https://admin:pa/ss-Secret@cbs.example.com/x",
		"https://admin:12/ss-Secret@cbs.example.com/x",
		"https://admin:pa?ss-Secret@cbs.example.com/x",
		"https://admin:12?ss-Secret@cbs.example.com",
		"https://admin:pa#ss-Secret@cbs.example.com/x",
		"https://admin:pa\\ss-Secret@cbs.example.com/x",
		"https://admin:Tr0ub%dor-Secret@cbs.example.com",
		"admin:pa/ss-Secret@cbs.example.com",
		"https:/admin:pw-Secret@cbs.example.com",
		"HTTPS://admin:pw-Secret@cbs.example.com",
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := NewAhsayClient(raw, "system", "pw")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "must not hold credentials")
			for _, part := range []string{"Secret", "admin", "pa/", ":12", "Tr0ub"} {
				assert.NotContains(t, err.Error(), part)
			}
			_, err = NewXClarityClient(raw, "ADMIN", "pw")
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "Secret")
		})
	}
}
