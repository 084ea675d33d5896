package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// fuzzSeeds adds every file of a testdata folder as a seed.
func fuzzSeeds(f *testing.F, pattern string, extra ...any) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds for %s", pattern)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append([]any{b}, extra...)...)
	}
}

// mustBeTyped fails unless err is nil or an *Error.
func mustBeTyped(t *testing.T, err error) {
	var e *Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if err != nil && e.Error() == "" {
		t.Fatal("empty error text")
	}
}

// fuzzClient returns an Ahsay client whose every call is answered with body.
func fuzzAhsay(t *testing.T, status int, body []byte) *AhsayClient {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	})
	c, err := NewAhsayClient(testBase, testSysUser, testSysPwd, WithHTTPClient(&http.Client{Transport: mt}),
		WithRetry(0, 0, 0), WithMaxResponseBytes(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzAhsayResponses feeds arbitrary answers to every Ahsay response
// decoder, the envelope check included.
func FuzzAhsayResponses(f *testing.F) {
	fuzzSeeds(f, "testdata/ahsay/*.json", uint8(0))
	f.Add([]byte(`{"Status":"OK","Data":[{"Storage":[{}]}]}`), uint8(3))
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		c := fuzzAhsay(t, 200, body)
		ctx := context.Background()
		calls := []func() error{
			func() error { _, err := c.ListUsers(ctx, nil); return err },
			func() error { _, err := c.GetUser(ctx, obm); return err },
			func() error { _, err := c.GetUserStorageStat(ctx, &StorageStatRequest{UserRef: obm}); return err },
			func() error { _, err := c.GetSingleUserRebuildStatus(ctx, obm); return err },
			func() error { _, err := c.GetUserStatus(ctx, &GetUserStatusRequest{Type: JobTypeBackup}); return err },
			func() error { _, err := c.GetServerRunJobStatus(ctx, UserRef{LoginName: "obm"}); return err },
			func() error { return c.AddUser(ctx, &AddUserRequest{UserRef: obm}) },
			func() error {
				for _, err := range c.AllUsers(ctx, nil) {
					if err != nil {
						return err
					}
				}
				return nil
			},
			func() error { var v map[string]any; return c.Do(ctx, "X", nil, &v) },
		}
		mustBeTyped(t, calls[int(which)%len(calls)]())
	})
}

// FuzzAhsayEnvelope checks the envelope under every HTTP status.
func FuzzAhsayEnvelope(f *testing.F) {
	fuzzSeeds(f, "testdata/ahsay/*_2.json", 200)
	f.Add([]byte(`<html>`), 502)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		if status < 100 || status > 599 {
			status = 200
		}
		err := fuzzAhsay(t, status, body).RemoveUser(context.Background(), obm)
		mustBeTyped(t, err)
		if status >= 300 && err == nil {
			t.Fatalf("HTTP %d accepted as success", status)
		}
	})
}

// FuzzXClarityEnvelope feeds arbitrary answers and statuses to the
// XClarity action and job decoders.
func FuzzXClarityEnvelope(f *testing.F) {
	fuzzSeeds(f, "testdata/xclarity/*.json", 200, uint8(0))
	f.Add([]byte(`{"status":{"result":"failed","message":{"recovery":[{"url":"x"}]}}}`), 403, uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, status int, which uint8) {
		if status < 100 || status > 599 {
			status = 200
		}
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder("POST", xcBase+"/sessions", func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(200, "{}")
			r.Header.Add("Set-Cookie", "csrf=t")
			return r, nil
		})
		mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			r := httpmock.NewBytesResponse(status, body)
			r.Header.Set("Content-Type", "application/json")
			return r, nil
		})
		c, err := NewXClarityClient(xcBase, xcUser, xcPassword, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, 0, 0),
			WithMaxResponseBytes(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		calls := []func() error{
			func() error { _, err := c.ListBackups(ctx); return err },
			func() error {
				_, err := c.CopyBackup(ctx, &TransferBackupRequest{UUID: "u", Destination: "internal"})
				return err
			},
			func() error { _, err := c.GetJob(ctx, "1"); return err },
			func() error { _, err := c.GetJobs(ctx, "1", "2"); return err },
			func() error { return c.CancelJobs(ctx, "1") },
			func() error {
				_, err := c.ProcessBackup(ctx, &ProcessBackupRequest{Passphrase: Secret("p")})
				return err
			},
		}
		mustBeTyped(t, calls[int(which)%len(calls)]())
	})
}

// FuzzBackup decodes arbitrary backups: never a panic, and the typed
// fields and Extra never both hold a key.
func FuzzBackup(f *testing.F) {
	f.Add([]byte(`{"uuid":"u","chassis":"3","firmware":1e400,"x":{"y":[1]}}`))
	f.Add([]byte(`{"dhcp":true,"eth0IPv4":7}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Backup
		if err := json.Unmarshal(data, &b); err != nil {
			return
		}
		if _, dup := b.Extra["uuid"]; dup && b.UUID != "" {
			t.Fatal("uuid both typed and in Extra")
		}
	})
}

// FuzzJob decodes arbitrary job trees.
func FuzzJob(f *testing.F) {
	fuzzSeeds(f, "testdata/xclarity/tasks-*.json")
	f.Add([]byte(`{"jobUID":1,"percentage":"x","children":[{"children":{}}]}`))
	f.Add([]byte(`{"percentage":"NaN","startTime":99999999999999999,"children":[{"percentage":"Inf"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var jobs oneOrMany[Job]
		if err := json.Unmarshal(data, &jobs); err != nil {
			return
		}
		for _, j := range jobs {
			_ = j.Status.Terminal()
			if math.IsNaN(j.Percentage) || math.IsInf(j.Percentage, 0) {
				t.Fatal("a percentage that is no finite number")
			}
			if _, err := json.Marshal(j); err != nil {
				t.Fatalf("a decoded job does not encode: %v", err)
			}
		}
	})
}

// FuzzFlexScalars decodes arbitrary scalars into the tolerant types.
func FuzzFlexScalars(f *testing.F) {
	for _, s := range []string{`12`, `"12"`, `-1`, `"5.25 M"`, `1e400`, `null`, `"Y"`, `true`, `"next tuesday"`, `99999999999999999`, `"2024-06-26 11;34:15"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n Int64
		var b Bool
		var ts Timestamp
		_ = json.Unmarshal(data, &n)
		_ = json.Unmarshal(data, &b)
		if json.Unmarshal(data, &ts) != nil {
			return
		}
		out, err := json.Marshal(ts)
		if err != nil {
			t.Fatalf("a decoded Timestamp does not encode: %v", err)
		}
		var again Timestamp
		if err := json.Unmarshal(out, &again); err != nil || !again.Equal(ts.Time) || again.Raw() != ts.Raw() {
			t.Fatalf("%s -> %s -> %v %q (%v): not round-tripped", data, out, again.Time, again.Raw(), err)
		}
	})
}
