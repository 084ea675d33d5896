package backupapi

import (
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
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
