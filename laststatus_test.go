package backupapi_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestACallThatEndsWithoutAnAnswerKeepsTheLastAnswersStatus: a read that
// was answered 502 and repeated, and whose repeat then brought no answer
// (an idle stream, the context ending during the attempt), reports the 502
// in HTTPStatus — "the status of the last answer" — so the cause is not lost.
func TestACallThatEndsWithoutAnAnswerKeepsTheLastAnswersStatus(t *testing.T) {
	for _, tc := range []struct {
		name    string
		attempt time.Duration // WithTimeout
		ctx     time.Duration
	}{
		{"the repeat brings nothing within the attempt timeout", time.Second, time.Minute},
		{"the context ends during the repeat", time.Minute, 1500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := backupapitest.NewAhsayServer()
			t.Cleanup(s.Close)
			s.Inject(backupapitest.OpListUsers, backupapitest.Fault{Status: http.StatusBadGateway, Body: backupapitest.BodyHTML, Times: 1})
			s.Inject(backupapitest.OpListUsers, backupapitest.Fault{Delay: time.Minute, Times: -1})
			c, err := backupapi.NewAhsayClient(s.URL, s.SysUser, s.SysPwd, backupapi.WithHTTPClient(s.Client()),
				backupapi.WithTimeout(tc.attempt), backupapi.WithRetry(1, 10*time.Millisecond, 10*time.Millisecond))
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), tc.ctx)
			defer cancel()
			var got error
			for _, err := range c.AllUsers(ctx, nil) {
				if err != nil {
					got = err
					break
				}
			}
			var e *backupapi.Error
			require.True(t, errors.As(got, &e), "an *Error: %v", got)
			assert.Equal(t, http.StatusBadGateway, e.HTTPStatus, "the last answer's status: %v", got)
		})
	}
}
