package exporter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// panicking is a refresher with a defect: every refresh panics.
type panicking struct{ refresher }

func (panicking) refresh(context.Context, *snapshot) (*snapshot, map[string]int, error) {
	panic("a defect in a refresher")
}

// TestAPanickingRefreshDownsItsTargetOnly: a refresh that panics leaves
// its target down (error kind "other", its last good values kept by the
// usual rule) and logged, and never reaches the goroutine that runs the
// target's refreshes (where it would end the exporter and every target).
func TestAPanickingRefreshDownsItsTargetOnly(t *testing.T) {
	f := startFleet(t, "")
	f.stop()
	cbs := f.exp.byName["cbs"]
	cbs.refreshOnce(context.Background())
	good, _ := cbs.served()
	require.NotNil(t, good)

	cbs.r = panicking{cbs.r}
	require.NotPanics(t, func() { cbs.refreshOnce(context.Background()) })
	snap, st := cbs.served()
	assert.Equal(t, "other", st.errKind)
	assert.Same(t, good, snap, "the last good snapshot is served as for any failed refresh")
	assert.Contains(t, f.logs.String(), "refresh panicked")
	assert.Contains(t, f.logs.String(), "a defect in a refresher")

	cbs.r = cbs.r.(panicking).refresher
	cbs.refreshOnce(context.Background())
	_, st = cbs.served()
	assert.Empty(t, st.errKind, "the next refresh that works brings the target back")
}

// panickingWith is a refresher whose every refresh panics with v.
type panickingWith struct {
	refresher
	v any
}

func (p panickingWith) refresh(context.Context, *snapshot) (*snapshot, map[string]int, error) {
	panic(p.v)
}

// TestAPanicValueNeverLogsASecret: whatever a panic's value is, the log
// line holds no secret: the target's password in a string, an error or
// bytes is masked, and a value the masking cannot read (a struct, a map:
// Go syntax, no key names) is logged by its type only.
func TestAPanicValueNeverLogsASecret(t *testing.T) {
	const unknown = "a-user-secret-9931" // a secret the exporter never read
	for _, tc := range []struct {
		name string
		v    any
		want string // what the log line keeps
	}{
		{"a string is logged masked", "login as system/" + testAhsayPassword + " failed", "login as system/*** failed"},
		{"an error is logged masked", errors.New("bad " + testAhsayPassword), "bad ***"},
		{"bytes are logged as text, masked", []byte("body " + testAhsayPassword), "body ***"},
		{"a runtime error is logged as its message", runtimeError(), "index out of range"},
		{"a struct is logged by its type", struct{ User, Pwd string }{"alice", unknown}, "struct"},
		{"a map is logged by its type", map[string]string{"SysPwd": unknown}, "map[string]string"},
		{"a number is logged as it is", 42, "42"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := startFleet(t, "")
			f.stop()
			cbs := f.exp.byName["cbs"]
			cbs.r = panickingWith{cbs.r, tc.v}
			require.NotPanics(t, func() { cbs.refreshOnce(context.Background()) })
			logs := f.logs.String()
			assert.Contains(t, logs, "refresh panicked")
			assert.Contains(t, logs, tc.want)
			for _, secret := range []string{testAhsayPassword, unknown, fmt.Sprint([]byte(testAhsayPassword))[1:20]} {
				assert.NotContains(t, logs, secret)
			}
		})
	}
}

// runtimeError is the value of a runtime panic (an index out of range).
func runtimeError() (v any) {
	defer func() { v = recover() }()
	var s []int
	_ = s[len(s)]
	return nil
}

// TestAPanicInAUserWalkDownsItsTargetOnly: a panic in one of the SDK
// walk's goroutines (here the transport's answer to a per-user call)
// reaches the refresh guard as a panic in the refresh itself does, in
// sets mode (the one that walks users): the target is down (kind other),
// the exporter goes on.
func TestAPanicInAUserWalkDownsItsTargetOnly(t *testing.T) {
	for _, tc := range []struct{ name, mode, call string }{
		{"sets mode, a set listing panics", ModeSets, "/ListBackupSets.do"},
		{"sets mode, the users listing panics", ModeSets, "/ListUsers.do"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := backupapitest.NewUnstartedAhsayServer()
			srv.SeedFreshnessFleet(time.Now())
			next := backupapitest.Transport(srv.Handler())
			rt := roundTrip(func(r *http.Request) (*http.Response, error) {
				resp, err := next.RoundTrip(r)
				if err == nil && strings.HasSuffix(r.URL.Path, tc.call) {
					resp.Body = &panicOnce{value: "a defect in a transport"}
				}
				return resp, err
			})
			t.Setenv("TEST_PANIC_SYSPWD", srv.SysPwd)
			cfg, err := ParseConfig([]byte("targets:\n  - name: cbs\n    type: ahsay\n    mode: " + tc.mode +
				"\n    url: https://cbs.test\n    user: " + srv.SysUser + "\n    password_env: TEST_PANIC_SYSPWD\n    license: false\n"))
			require.NoError(t, err)
			logs := &syncBuffer{}
			e, err := New(cfg, Options{Logger: newTestLogger(logs),
				ClientOptions: []backupapi.Option{backupapi.WithHTTPClient(&http.Client{Transport: rt})}})
			require.NoError(t, err)
			cbs := e.byName["cbs"]
			require.NotPanics(t, func() { cbs.refreshOnce(context.Background()) })
			_, st := cbs.served()
			assert.Equal(t, "other", st.errKind)
			assert.Contains(t, logs.String(), "a defect in a transport")
		})
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// panicOnce is an answer's body whose first Read panics with its value;
// it is at its end after that, so that the client can close it.
type panicOnce struct {
	value    any
	panicked bool
}

func (b *panicOnce) Read([]byte) (int, error) {
	if !b.panicked {
		b.panicked = true
		panic(b.value)
	}
	return 0, io.EOF
}

func (*panicOnce) Close() error { return nil }
