package backupapitest_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnInvalidFaultIsRefusedByTheGoAPIAndTheControlAPIAlike: one check
// decides; Inject panics with its message (as on an unknown operation),
// the control API answers 400 with the same one, and neither queues the
// fault. A fault the fake would build in memory beyond MaxFaultSize
// (Size: 1 << 40 ended the process) is one of them.
func TestAnInvalidFaultIsRefusedByTheGoAPIAndTheControlAPIAlike(t *testing.T) {
	cases := []struct {
		name  string
		fault backupapitest.Fault
		json  string // the control API's form, "" when JSON cannot say it
		says  string
	}{
		{"an oversized body beyond memory", backupapitest.Fault{Body: backupapitest.BodyOversized, Size: 1 << 40},
			`"body":"oversized","size":1099511627776`, "size 1099511627776: more than the fake will build in memory"},
		{"a negative size", backupapitest.Fault{Body: backupapitest.BodyOversized, Size: -1}, `"body":"oversized","size":-1`, "size -1: cannot be negative"},
		{"a count below -1", backupapitest.Fault{Status: 503, Times: -2}, `"status":503,"times":-2`, "times -2"},
		{"a negative delay", backupapitest.Fault{Delay: -time.Second}, `"delay":"-1s"`, "delay -1s: cannot be negative"},
		{"a negative Retry-After", backupapitest.Fault{Status: 503, RetryAfter: -time.Second}, `"status":503,"retryAfter":"-1s"`, "retryAfter -1s: cannot be negative"},
		{"a Retry-After that is not whole seconds", backupapitest.Fault{Status: 503, RetryAfter: 1500 * time.Millisecond},
			`"status":503,"retryAfter":"1.5s"`, "retryAfter 1.5s: Retry-After counts whole seconds"},
		{"a status that is not one", backupapitest.Fault{Status: 42}, `"status":42`, "status 42: not an HTTP status"},
		{"a status beyond 599", backupapitest.Fault{Status: 600}, `"status":600`, "status 600"},
		{"an unknown drop", backupapitest.Fault{Drop: backupapitest.DropMode(7)}, "", "drop 7: not a DropMode"},
		{"an unknown body", backupapitest.Fault{Body: backupapitest.BodyFault(-1)}, "", "body -1: not a BodyFault"},
	}
	for _, tc := range cases {
		t.Run("AhsayServer.Inject panics: "+tc.name, func(t *testing.T) {
			s := backupapitest.NewUnstartedAhsayServer()
			msg := panicOf(func() { s.Inject(backupapitest.OpAddUser, tc.fault) })
			assert.Contains(t, msg, "backupapitest: AhsayServer.Inject: "+tc.says)
			assert.Empty(t, s.Faults())
		})
		t.Run("XClarityServer.Inject panics: "+tc.name, func(t *testing.T) {
			s := backupapitest.NewUnstartedXClarityServer()
			msg := panicOf(func() { s.Inject(backupapitest.OpListBackups, tc.fault) })
			assert.Contains(t, msg, "backupapitest: XClarityServer.Inject: "+tc.says)
			assert.Empty(t, s.Faults())
		})
		if tc.json == "" {
			continue
		}
		t.Run("the control API answers 400: "+tc.name, func(t *testing.T) {
			c := newControlled(t, "")
			code, out := c.call(t, http.MethodPost, "/_backupapi/faults", `{"op":"AddUser",`+tc.json+`}`)
			assert.Equal(t, http.StatusBadRequest, code)
			assert.Contains(t, out["error"], tc.says)
			assert.Empty(t, c.ahsay.Faults())
		})
	}
	t.Run("the zero Fault, a fault that does nothing, is Inject's to take", func(t *testing.T) {
		s := backupapitest.NewUnstartedAhsayServer()
		assert.NotPanics(t, func() { s.Inject(backupapitest.OpAddUser, backupapitest.Fault{}) })
	})
	t.Run("the largest body the fake builds is valid", func(t *testing.T) {
		s := backupapitest.NewUnstartedAhsayServer()
		s.Inject(backupapitest.OpAddUser, backupapitest.Fault{Body: backupapitest.BodyOversized, Size: backupapitest.MaxFaultSize})
		require.Len(t, s.Faults(), 1)
	})
}

// panicOf runs f and returns what it panicked with, "" if it did not.
func panicOf(f func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	f()
	return ""
}
