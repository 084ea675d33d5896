package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ahsayStub is an AhsayCBS that answers each endpoint with a fixed body,
// over plain HTTP, and records the paths it was asked.
type ahsayStub struct {
	*httptest.Server
	mu     sync.Mutex
	paths  []string
	bodies []string
}

func newAhsayStub(t *testing.T, answers map[string]string) *ahsayStub {
	t.Helper()
	s := &ahsayStub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.bodies = append(s.bodies, string(sent))
		s.mu.Unlock()
		body, ok := answers[strings.TrimSuffix(path.Base(r.URL.Path), ".do")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	t.Setenv("AHSAY_URL", s.URL)
	t.Setenv("AHSAY_SYSUSER", "system")
	t.Setenv("AHSAY_SYSPWD", "system1")
	return s
}

// sent returns the bodies of the requests, joined.
func (s *ahsayStub) sent() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.bodies, "\n")
}

func (s *ahsayStub) asked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

// runCLI runs the command line in this process, with no terminal.
func runCLI(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(ctx, args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
	return code, out.String(), errOut.String()
}

func TestAhsayVersionSendsEachCallToAPathTheServerHas(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		flags     []string
		wantPath  string
	}{
		{name: "by default the newest path", wantPath: "/obs/api/json/2/ListUsers.do"},
		{name: "--ahsay-version 9.5 takes v1", flags: []string{"--ahsay-version", "9.5"}, wantPath: "/obs/api/json/ListUsers.do"},
		{name: "AHSAY_VERSION takes v1 too", env: "9.6.0.0", wantPath: "/obs/api/json/ListUsers.do"},
		{name: "the flag beats the environment", env: "9.5", flags: []string{"--ahsay-version", "9.7"}, wantPath: "/obs/api/json/2/ListUsers.do"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stub := newAhsayStub(t, map[string]string{"ListUsers": `{"Status":"OK","User":[]}`})
			t.Setenv("AHSAY_VERSION", tc.env)
			code, _, stderr := runCLI(context.Background(), append([]string{"ahsay", "users", "list", "--allow-http"}, tc.flags...)...)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, []string{tc.wantPath}, stub.asked())
		})
	}
	t.Run("a version that is not one is a usage mistake, before any call", func(t *testing.T) {
		for _, v := range []string{"nine", "9.x", "-1", "99999999999999999999", "9.99999999999999999999"} {
			stub := newAhsayStub(t, nil)
			t.Setenv("AHSAY_VERSION", "")
			code, _, stderr := runCLI(context.Background(), "ahsay", "users", "list", "--allow-http", "--ahsay-version", v)
			assert.Equal(t, exitUsage, code, v)
			assert.Contains(t, stderr, "--ahsay-version (or AHSAY_VERSION)", v)
			assert.Empty(t, stub.asked(), v)
		}
	})
}

// TestEveryAhsayVersionTheCLITakesTheSDKTakes: --ahsay-version is
// checked before anything is asked or sent, so it must not let through a
// version the SDK then refuses (which surfaced as "any other error").
func TestEveryAhsayVersionTheCLITakesTheSDKTakes(t *testing.T) {
	for _, v := range []string{"9", "9.5", "v9.5", "9.7.0.0", "0", "0.0", "123456789.123456789", "1234567890", "9.1234567890",
		"99999999999999999999", "9.99999999999999999999", "9.5.99999999999999999999", "v", "9.", ".5", "9..5"} {
		if !ahsayVersionPattern.MatchString(v) {
			continue
		}
		t.Run(v, func(t *testing.T) {
			_, err := backupapi.NewAhsayClient("https://cbs.test", "system", "pw", backupapi.WithAhsayVersion(v))
			assert.NoError(t, err, "the CLI takes %q, so the SDK must", v)
		})
	}
}

// rebuildStatus is a GetSingleUserRebuildStatus answer: alice's rebuild
// of backup set 1687750405259, in the given state, started at start.
func rebuildStatus(state string, start time.Time) string {
	ms := func(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
	return `{"Status":"OK","Data":{"LoginName":"alice","BackupSetID":"1687750405259","Status":"` + state +
		`","StartTime":` + ms(start) + `,"EndTime":` + ms(start.Add(time.Minute)) + `}}`
}

func TestRebuildWait(t *testing.T) {
	// A wait that never ends fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	wait := []string{"ahsay", "rebuild", "wait", "alice", "--set", "1687750405259", "--allow-http", "--poll-interval", "100ms"}
	twoHoursAgo := time.Now().Add(-2 * time.Hour)

	t.Run("reports at once a rebuild that ended long ago", func(t *testing.T) {
		newAhsayStub(t, map[string]string{"GetSingleUserRebuildStatus": rebuildStatus("Finished", twoHoursAgo)})
		code, stdout, stderr := runCLI(ctx, wait...)
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, "rebuild backup set 1687750405259: Finished\n", stdout)
	})
	t.Run("with --started-after waits for a newer rebuild than the one that ended", func(t *testing.T) {
		newAhsayStub(t, map[string]string{"GetSingleUserRebuildStatus": rebuildStatus("Finished", twoHoursAgo)})
		code, stdout, stderr := runCLI(ctx, append(wait, "--started-after", "1h", "--wait-timeout", "1s")...)
		assert.NotEqual(t, 0, code)
		assert.Empty(t, stdout, "the earlier rebuild is not reported as this one")
		assert.Contains(t, stderr, "gave up waiting after 1s (--wait-timeout); the rebuild goes on on the server; follow it with: backupapi ahsay rebuild wait alice --set 1687750405259")
	})
	t.Run("a rebuild that failed exits 1 and says how it ended", func(t *testing.T) {
		newAhsayStub(t, map[string]string{"GetSingleUserRebuildStatus": rebuildStatus("Failed", time.Now())})
		code, stdout, stderr := runCLI(ctx, wait...)
		assert.Equal(t, exitFailures, code, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "\nbackupapi: the rebuild of backup set 1687750405259 ended Failed\n")
	})
	t.Run("a --started-after that is no time is a usage mistake", func(t *testing.T) {
		stub := newAhsayStub(t, nil)
		code, _, stderr := runCLI(ctx, append(wait, "--started-after", "yesterday-ish")...)
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, stderr, `--started-after "yesterday-ish": want an RFC 3339 time`)
		assert.Empty(t, stub.asked())
	})
}

func TestParseStartedAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"", anyRebuild},
		{"2h", now.Add(-2 * time.Hour)},
		{"0s", now},
		{"2026-11-23T01:00:00Z", time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)},
	} {
		t.Run(strconv.Quote(tc.in), func(t *testing.T) {
			got, err := parseStartedAfter(tc.in, now)
			require.NoError(t, err)
			assert.True(t, tc.want.Equal(got), "got %s", got)
			assert.False(t, got.IsZero(), "a zero time would mean now to WaitForRebuild")
		})
	}
	for _, in := range []string{"-2h", "yesterday", "2026-11-23"} {
		t.Run(strconv.Quote(in)+" is refused", func(t *testing.T) {
			_, err := parseStartedAfter(in, now)
			var usage usageError
			assert.ErrorAs(t, err, &usage)
		})
	}
}
