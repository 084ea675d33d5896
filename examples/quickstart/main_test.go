package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartRunsOnTheFakes(t *testing.T) {
	for _, v := range []string{"AHSAY_URL", "XCLARITY_URL"} {
		t.Setenv(v, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, false))
	text := out.String()
	for _, want := range []string{
		"Started a fake AhsayCBS",
		"Added user quickstart-user",
		"ListUsers found 1 user(s)",
		"the user now has a quota of 75 GiB and 2 contact(s)",
		"ops@example.com",
		"Storage in ",
		"errors.Is(err, backupapi.ErrNotFound) is true",
		"Started a fake XClarity Administrator",
		"100% Complete",
		": Complete.",
		"is event 11915 (Warning), session 42",
		"Removed user quickstart-user",
	} {
		assert.Contains(t, text, want)
	}
}

// servers starts TLS fakes of both products, as backupapi-fake serves
// them, and points the environment at them; it returns the path of a PEM
// file of their certificates.
func servers(t *testing.T) (caFile string) {
	t.Helper()
	ahsay := backupapitest.NewAhsayServer()
	t.Cleanup(ahsay.Close)
	xc := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(300 * time.Millisecond))
	t.Cleanup(xc.Close)
	var pems []byte
	for _, s := range []*backupapitest.Server{ahsay.Server, xc.Server} {
		pems = append(pems, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})...)
	}
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pems, 0o600))
	for k, v := range map[string]string{"AHSAY_URL": ahsay.URL, "AHSAY_SYSUSER": ahsay.SysUser, "AHSAY_SYSPWD": ahsay.SysPwd,
		"XCLARITY_URL": xc.URL, "XCLARITY_USER": xc.Username, "XCLARITY_PASSWORD": xc.Password} {
		t.Setenv(k, v)
	}
	return caFile
}

func TestQuickstartTrustsCAFile(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Run("servers whose authority CA_FILE holds are used", func(t *testing.T) {
		t.Setenv("CA_FILE", servers(t))
		var out bytes.Buffer
		require.NoError(t, run(ctx, &out, false))
		assert.Contains(t, out.String(), "Using the AhsayCBS at https://127.0.0.1:")
		assert.Contains(t, out.String(), "Using the XClarity Administrator at https://127.0.0.1:")
		assert.Contains(t, out.String(), ": Complete.")
	})
	t.Run("without CA_FILE their certificates are refused", func(t *testing.T) {
		servers(t)
		t.Setenv("CA_FILE", "")
		err := run(ctx, &bytes.Buffer{}, false)
		assert.ErrorContains(t, err, "certificate")
	})
	t.Run("a CA_FILE that cannot be read is said", func(t *testing.T) {
		servers(t)
		t.Setenv("CA_FILE", filepath.Join(t.TempDir(), "missing.pem"))
		err := run(ctx, &bytes.Buffer{}, false)
		assert.ErrorContains(t, err, "CA_FILE: open ")
	})
}

func TestTheProgressBarIsDrawnOnATerminalOnly(t *testing.T) {
	for _, v := range []string{"AHSAY_URL", "XCLARITY_URL"} {
		t.Setenv(v, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Run("piped: plain lines", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run(ctx, &out, false))
		assert.NotContains(t, out.String(), "\r")
		assert.Contains(t, out.String(), "\n  100% Complete\n")
	})
	t.Run("on a terminal: a bar that redraws its line", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run(ctx, &out, true))
		assert.Contains(t, out.String(), "\r  [")
		assert.Contains(t, out.String(), strings.Repeat("#", 30)+"] 100% Complete")
	})
}

// TestQuickstartTakesAnswersWithoutTheOptionalParts: a server (a real
// one, an older version) may answer a month's storage statistics with no
// month in it and a user without a quota list; the tour says so instead
// of indexing what is not there.
func TestQuickstartTakesAnswersWithoutTheOptionalParts(t *testing.T) {
	caFile := servers(t)
	fake := backupapitest.NewUnstartedAhsayServer()
	bare := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/GetUserStorageStat.do"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"Status":"OK"}`)
			return
		case strings.HasSuffix(r.URL.Path, "/GetUser.do"):
			rec := httptest.NewRecorder()
			fake.Handler().ServeHTTP(rec, r)
			var answer map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &answer))
			if data, ok := answer["Data"].(map[string]any); ok {
				delete(data, "QuotaList")
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(answer)
			return
		}
		fake.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(bare.Close)
	pems, err := os.ReadFile(caFile)
	require.NoError(t, err)
	pems = append(pems, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: bare.Certificate().Raw})...)
	require.NoError(t, os.WriteFile(caFile, pems, 0o600))
	t.Setenv("CA_FILE", caFile)
	t.Setenv("AHSAY_URL", bare.URL)
	t.Setenv("AHSAY_SYSUSER", fake.SysUser)
	t.Setenv("AHSAY_SYSPWD", fake.SysPwd)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, false))
	assert.Contains(t, out.String(), "No storage statistics for ")
	assert.Contains(t, out.String(), "no quota listed")
}
