package backupapitest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	sysSecret  = "Sys-Secret-93f1"
	lxcaSecret = "Lxca-Secret-77aa"
)

// sessionSpy records the session cookies and CSRF tokens that pass by.
type sessionSpy struct {
	next    http.RoundTripper
	mu      sync.Mutex
	secrets []string
}

func (s *sessionSpy) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok := r.Header.Get("X-Csrf-Token"); tok != "" {
		s.secrets = append(s.secrets, tok)
	}
	if resp != nil {
		for _, ck := range resp.Cookies() {
			s.secrets = append(s.secrets, ck.Value)
		}
	}
	return resp, err
}

func (s *sessionSpy) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.secrets...)
}

// spiedSessions returns a spy and, for throughHandler, an HTTP client that
// sends through the spy to the fake's Handler.
func spiedSessions() (*sessionSpy, func(http.Handler) *http.Client) {
	spy := &sessionSpy{}
	return spy, func(h http.Handler) *http.Client {
		spy.next = backupapitest.Transport(h)
		return &http.Client{Transport: spy}
	}
}

// TestNoSecretLeaks drives every operation, with debug logging on, through
// success and injected failures, and looks for every secret in every log
// line, error string and formatted value.
func TestNoSecretLeaks(t *testing.T) {
	faults := []matrixFault{
		{name: "none"},
		{name: "HTML page", fault: backupapitest.Fault{Body: backupapitest.BodyHTML, Status: 500}},
		{name: "truncated", fault: backupapitest.Fault{Body: backupapitest.BodyTruncated, Times: -1}},
		{name: "reset after acting", fault: backupapitest.Fault{Drop: backupapitest.DropAfterAct, Times: -1}},
		{name: "503", fault: backupapitest.Fault{Status: 503, Times: -1}},
		{name: "echo", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Times: -1}},
		{name: "echo with 400", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 400, Times: -1}},
		{name: "echo with 500", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 500, Times: -1}},
		{name: "login echoes with 401", fault: backupapitest.Fault{Body: backupapitest.BodyEcho, Status: 401, Times: -1}},
	}
	for _, op := range matrixOps {
		for _, f := range faults {
			t.Run(op.name+"/"+f.name, func(t *testing.T) {
				var logs bytes.Buffer
				logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				opts := []backupapi.Option{backupapi.WithLogger(logger), backupapi.WithRetry(1, time.Millisecond, time.Millisecond)}
				ahsay, ac := fakeAhsay(t, withServer(backupapitest.WithCredentials("system", sysSecret)), inProcess(), withClient(opts...))
				ahsay.SeedUser(backupapitest.AhsayUser{LoginName: "someone", Password: userSecret, Email: "someone@example.com", BackupSets: []string{"1"}})
				spy, spied := spiedSessions()
				xc, xcc := fakeXClarity(t, withServer(backupapitest.WithCredentials("ADMIN", lxcaSecret)), throughHandler(spied), withClient(opts...))
				var err error
				ctx := context.Background()
				switch {
				case op.xclarity && f.name == "login echoes with 401":
					// A fresh client, whose first act is the login.
					xcc, err = backupapi.NewXClarityClient("https://lxca.test", "ADMIN", lxcaSecret, append(opts, backupapi.WithHTTPClient(&http.Client{Transport: spy}))...)
					require.NoError(t, err)
					xc.Inject(backupapitest.OpLogin, f.fault)
				case op.xclarity:
					_, err := xcc.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "9a1c4d2e-5f60-4a7b-8c9d-0e1f2a3b4c5d", Destination: "/mnt/prep"})
					require.NoError(t, err)
					_, _ = xcc.ImportBackup(ctx, &backupapi.ImportBackupRequest{Filename: "prep.tgz", Body: strings.NewReader("x")})
					xc.Inject(op.fakeOp, f.fault)
				case f.name != "none":
					ahsay.Inject(op.fakeOp, f.fault)
				}
				err = op.call(ctx, ac, xcc)
				_ = xcc.Close(ctx)
				require.NotEmpty(t, logs.String(), "debug logging is on")
				secrets := append([]string{sysSecret, lxcaSecret, userSecret, passphraseSecret,
					base64.StdEncoding.EncodeToString([]byte("ADMIN:" + lxcaSecret))}, spy.all()...)
				if op.xclarity && f.name != "login echoes with 401" {
					require.NotEmpty(t, spy.all(), "the session's cookies and token were seen")
				}
				if strings.HasPrefix(f.name, "echo") || strings.HasPrefix(f.name, "login echoes") {
					require.Error(t, err, "an echoed answer is an error")
				}
				texts := []string{logs.String(), fmt.Sprintf("%v|%+v|%#v", ac, ac, ac), fmt.Sprintf("%v|%+v|%#v", xcc, xcc, xcc),
					fmt.Sprintf("%v|%+v|%#v", *ac, *xcc, *xcc)}
				for e := err; e != nil; e = errors.Unwrap(e) {
					texts = append(texts, e.Error(), fmt.Sprintf("%v|%+v|%#v", e, e, e))
					if ae, ok := e.(*backupapi.Error); ok {
						texts = append(texts, fmt.Sprintf("%+v|%#v", *ae, *ae))
					}
				}
				for _, text := range texts {
					for _, s := range secrets {
						if len(s) >= 6 {
							assert.NotContains(t, text, s)
						}
					}
				}
			})
		}
	}
}
