package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// xclarityBehind serves a fake appliance over plain HTTP behind wrap, which
// sees (and may hold) every request, and points the environment at it.
// The commands then need --allow-http.
func xclarityBehind(t *testing.T, wrap func(http.Handler) http.Handler, opts ...backupapitest.ServerOption) *backupapitest.XClarityServer {
	t.Helper()
	xc := backupapitest.NewUnstartedXClarityServer(opts...)
	h := xc.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Setenv("XCLARITY_URL", srv.URL)
	t.Setenv("XCLARITY_USER", xc.Username)
	t.Setenv("XCLARITY_PASSWORD", xc.Password)
	t.Setenv("XCLARITY_PASSPHRASE", "")
	return xc
}

// bodies records the bodies of the requests to one path.
type bodies struct {
	mu   sync.Mutex
	path string
	seen []string
}

func (b *bodies) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == b.path {
			body, _ := io.ReadAll(r.Body)
			b.mu.Lock()
			b.seen = append(b.seen, string(body))
			b.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

func (b *bodies) all() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.seen, "\n")
}

const backupUUID = "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"

func TestRestoreTakesThePassphraseAsCreateDoes(t *testing.T) {
	file := secretFile(t, "From-The-File-1\n", 0o600)
	for _, tc := range []struct {
		name, env string
		flags     []string
		want      string
	}{
		{name: "from --passphrase-file", flags: []string{"--passphrase-file", file}, want: "From-The-File-1"},
		{name: "from XCLARITY_PASSPHRASE", env: "From-The-Env-2", want: "From-The-Env-2"},
		{name: "--passphrase-file beats XCLARITY_PASSPHRASE", env: "From-The-Env-2", flags: []string{"--passphrase-file", file}, want: "From-The-File-1"},
	} {
		for _, action := range []string{"prepare", "start"} {
			t.Run("restore "+action+" "+tc.name, func(t *testing.T) {
				sent := &bodies{path: "/managementServer/data"}
				xclarityBehind(t, sent.wrap, backupapitest.WithJobDuration(time.Millisecond))
				t.Setenv("XCLARITY_PASSPHRASE", tc.env)
				if action == "start" { // a restore starts from a prepared backup
					code, _, stderr := runCLI(context.Background(), "xclarity", "backups", "restore", "prepare", backupUUID, "--allow-http", "--passphrase-file", file)
					require.Equal(t, 0, code, stderr)
					code, _, stderr = runCLI(context.Background(), "xclarity", "jobs", "wait", "17", "--allow-http")
					require.Equal(t, 0, code, stderr)
				}
				code, stdout, stderr := runCLI(context.Background(), append([]string{"xclarity", "backups", "restore", action, backupUUID, "--allow-http"}, tc.flags...)...)
				require.Equal(t, 0, code, stderr)
				assert.Contains(t, sent.all(), `"action":"`+action+`","uuid":"`+backupUUID+`","passphrase":"`+tc.want+`"`)
				assert.NotContains(t, stdout+stderr, tc.want, "the passphrase is never shown")
			})
		}
	}
	t.Run("restore prepare with no passphrase and no terminal is a usage mistake, before any call", func(t *testing.T) {
		sent := &bodies{path: "/managementServer/data"}
		xclarityBehind(t, sent.wrap)
		code, _, stderr := runCLI(context.Background(), "xclarity", "backups", "restore", "prepare", backupUUID, "--allow-http")
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, stderr, "no passphrase: set XCLARITY_PASSPHRASE, use --passphrase-file")
		assert.Empty(t, sent.all())
	})
}

func TestJobsCancel(t *testing.T) {
	start := func(t *testing.T) *backupapitest.XClarityServer {
		xc := xclarityBehind(t, nil, backupapitest.WithJobDuration(time.Minute))
		code, stdout, stderr := runCLI(context.Background(), "xclarity", "backups", "copy", backupUUID, "--to", "/mnt/share", "--allow-http")
		require.Equal(t, 0, code, stderr)
		require.Equal(t, "copy backup 4edf27ff-08d1-49b5-b7f3-7e8edc4fd278: job 17 started\n", stdout)
		return xc
	}
	t.Run("of a job that exists cancels it", func(t *testing.T) {
		start(t)
		code, stdout, stderr := runCLI(context.Background(), "xclarity", "jobs", "cancel", "17", "--allow-http")
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, "cancel jobs 17: done\n", stdout)
		_, stdout, _ = runCLI(context.Background(), "xclarity", "jobs", "get", "17", "--allow-http", "-o", "csv")
		assert.Contains(t, stdout, "17,copy backup,Cancelled,")
	})
	for _, ids := range [][]string{{"999"}, {"17", "999"}} {
		t.Run("of "+strings.Join(ids, " ")+", where 999 does not exist, is not found and cancels nothing", func(t *testing.T) {
			xc := start(t)
			code, stdout, stderr := runCLI(context.Background(), append([]string{"xclarity", "jobs", "cancel", "--allow-http"}, ids...)...)
			assert.Equal(t, 3, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "999")
			assert.Zero(t, xc.Calls(backupapitest.OpCancelJobs), "nothing was cancelled")
		})
	}
}

// TestCtrlCDuringBackupsCreateSaysBackupsWait interrupts "backups create
// --wait" once it follows the quiesced appliance: the hint names the
// command that can follow a backup there.
func TestCtrlCDuringBackupsCreateSaysBackupsWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	xclarityBehind(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == "/managementServer/quiesce" {
				cancel() // Ctrl-C, once the wait polls
			}
			next.ServeHTTP(w, r)
		})
	}, backupapitest.WithJobDuration(time.Minute))
	t.Setenv("XCLARITY_PASSPHRASE", "Backup-Phrase-1")
	code, _, stderr := runCLI(ctx, "xclarity", "backups", "create", "--wait", "--allow-http")
	assert.Equal(t, exitInterrupted, code, stderr)
	assert.Regexp(t, `backupapi: interrupted; job \d+ is still running on the appliance; follow it with: backupapi xclarity backups wait \d+\n$`, stderr)
	assert.NotContains(t, stderr, "jobs wait")
}
