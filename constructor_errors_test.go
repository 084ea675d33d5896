package backupapi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/backupapi/backupapi"
)

// TestConstructorErrorsNameWhatIsWrong: a constructor refuses a bad
// argument or option with an error naming it, which is a program's mistake
// and so no *Error and no sentinel's match (godoc of both constructors).
func TestConstructorErrorsNameWhatIsWrong(t *testing.T) {
	sentinels := []error{backupapi.ErrInvalidRequest, backupapi.ErrAuthentication, backupapi.ErrNotFound, backupapi.ErrUnavailable, backupapi.ErrServer, backupapi.ErrUnexpectedResponse, backupapi.ErrOutcomeUnknown}
	for _, tc := range []struct {
		name  string
		make  func() error
		names string
	}{
		{"a rate limit of zero", func() error {
			_, err := backupapi.NewAhsayClient("https://cbs.example.com", "system", "pw", backupapi.WithRateLimit(0, 1))
			return err
		}, "WithRateLimit(0, 1)"},
		{"a burst of zero", func() error {
			_, err := backupapi.NewXClarityClient("https://lxca.example.com", "admin", "pw", backupapi.WithRateLimit(5, 0))
			return err
		}, "WithRateLimit(5, 0)"},
		{"no place in flight", func() error {
			_, err := backupapi.NewAhsayClient("https://cbs.example.com", "system", "pw", backupapi.WithMaxInFlight(0))
			return err
		}, "WithMaxInFlight(0)"},
		{"a negative timeout", func() error {
			_, err := backupapi.NewXClarityClient("https://lxca.example.com", "admin", "pw", backupapi.WithTimeout(-1))
			return err
		}, "WithTimeout"},
		{"a URL without a scheme", func() error {
			_, err := backupapi.NewAhsayClient("cbs.example.com", "system", "pw")
			return err
		}, "no scheme"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.make()
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.names) {
				t.Errorf("%q does not name %q", err, tc.names)
			}
			var e *backupapi.Error
			if errors.As(err, &e) {
				t.Errorf("%q is an *Error", err)
			}
			for _, s := range sentinels {
				if errors.Is(err, s) {
					t.Errorf("%q matches %v", err, s)
				}
			}
		})
	}
}
