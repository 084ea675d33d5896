package backupapi

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEveryErrorStatusMeetsTheOneRetryDecision sweeps every HTTP error
// status, for a read and for a state change, through the one decision
// (retryable) and the waiters' policy on top of it (faultOf): a status
// that says the server did not process the request (408, 429, 503) is
// retryable whatever the call, and no other 4xx is; a waiter rides out
// exactly the 4xx statuses that are retryable.
func TestEveryErrorStatusMeetsTheOneRetryDecision(t *testing.T) {
	notProcessed := []int{http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusServiceUnavailable}
	for status := 400; status < 600; status++ {
		for _, idempotent := range []bool{true, false} {
			call := "a state change"
			if idempotent {
				call = "a read"
			}
			t.Run(fmt.Sprintf("%d on %s", status, call), func(t *testing.T) {
				e := &Error{HTTPStatus: status, kinds: statusKinds(status, idempotent)}
				if slices.Contains(notProcessed, status) {
					assert.True(t, retryable(e), "the server did not process the request")
					assert.NotEqual(t, faultStops, faultOf(e), "a waiter rides it out")
					return
				}
				if status < 500 {
					assert.False(t, retryable(e), "a definite refusal")
					assert.Equal(t, faultStops, faultOf(e), "a waiter stops at it")
				}
				if !idempotent && retryable(e) {
					assert.Contains(t, notProcessed, status, "only a status that says the server did not act invites repeating a state change")
				}
			})
		}
	}
}
