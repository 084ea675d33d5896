package backupapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listingWithNamelessUser serves the fake, with a user of owner whose
// login name is empty added to every ListUsers answer.
func listingWithNamelessUser(srv *backupapitest.AhsayServer, owner string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/ListUsers.do") {
			srv.Handler().ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, r)
		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			panic(err)
		}
		users, _ := answer["User"].([]any)
		answer["User"] = append([]any{map[string]any{"ID": "1", "LoginName": "", "Owner": owner, "UserId": ""}}, users...)
		var b bytes.Buffer
		_ = json.NewEncoder(&b).Encode(answer)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write(b.Bytes())
	})
}

// TestTheUserWalksLeaveOutAUserWithoutALogin: a user the listing gives
// without a login name cannot be named in any per-user call; the walks
// leave it out, so that an error whose User has no login name is always
// the one that ends the walk (the listing's, or the context's), as their
// callers tell them apart.
func TestTheUserWalksLeaveOutAUserWithoutALogin(t *testing.T) {
	now := time.Now()
	walks := map[string]func(c *backupapi.AhsayClient, t *testing.T) (logins []string, errs []backupapi.UserRef){
		"AllBackupSetFreshness": func(c *backupapi.AhsayClient, t *testing.T) (logins []string, errs []backupapi.UserRef) {
			for f, err := range c.AllBackupSetFreshness(t.Context(), &backupapi.AllBackupSetFreshnessRequest{Now: now}) {
				if err != nil {
					errs = append(errs, f.User)
					continue
				}
				logins = append(logins, f.User.LoginName)
			}
			return logins, errs
		},
		"AllBackupJobs": func(c *backupapi.AhsayClient, t *testing.T) (logins []string, errs []backupapi.UserRef) {
			for j, err := range c.AllBackupJobs(t.Context(), &backupapi.AllBackupJobsRequest{Date: now.Add(-2 * time.Hour)}) {
				if err != nil {
					errs = append(errs, j.User)
					continue
				}
				logins = append(logins, j.User.LoginName)
			}
			return logins, errs
		},
	}
	for name, walk := range walks {
		for _, owner := range []string{"", "reseller1"} {
			t.Run(name+" leaves out a user of owner "+`"`+owner+`"`+" without a login", func(t *testing.T) {
				srv := backupapitest.NewUnstartedAhsayServer()
				for i, login := range []string{"alice", "bob"} {
					srv.SeedHistory("", login, backupapitest.AhsayHistory{
						Set:  backupapitest.AhsayBackupSet{ID: "190000000000" + string(rune('1'+i)), Name: "Documents"},
						Runs: []backupapi.BackupJobStatus{backupapi.BackupSuccess}, Last: now.Add(-2 * time.Hour)})
				}
				c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd,
					backupapi.WithHTTPClient(&http.Client{Transport: backupapitest.Transport(listingWithNamelessUser(srv, owner))}))
				require.NoError(t, err)
				logins, errs := walk(c, t)
				assert.Empty(t, errs, "no error: the nameless user is not asked about")
				assert.ElementsMatch(t, []string{"alice", "bob"}, logins, "every named user is read")
			})
		}
	}
}

// panicsOn serves the fake, the answer to every request whose path ends
// in suffix with a body that panics with value when read (as a defect in
// the caller's transport would, in the goroutine that reads the answer).
func panicsOn(srv *backupapitest.AhsayServer, suffix string, value any) http.RoundTripper {
	next := backupapitest.Transport(srv.Handler())
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err == nil && strings.HasSuffix(r.URL.Path, suffix) {
			resp.Body = &panickingBody{value: value}
		}
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// panickingBody is an answer's body whose first Read panics with its
// value; it is at its end after that, so that the client can close it.
type panickingBody struct {
	value    any
	panicked bool
}

func (b *panickingBody) Read([]byte) (int, error) {
	if !b.panicked {
		b.panicked = true
		panic(b.value)
	}
	return 0, io.EOF
}

func (*panickingBody) Close() error { return nil }

// TestAPanicInAUserWalkReachesItsCaller: a panic in the work of a user
// walk's worker (a per-user call) is raised again, with its value, in the
// goroutine that ranges over the walk, where its caller can recover it (as
// the exporter's refresh guard does), instead of ending the program from
// a goroutine no caller can reach. No worker outlives it.
func TestAPanicInAUserWalkReachesItsCaller(t *testing.T) {
	now := time.Now()
	walks := map[string]func(c *backupapi.AhsayClient){
		"AllBackupSetFreshness": func(c *backupapi.AhsayClient) {
			for _, err := range c.AllBackupSetFreshness(t.Context(), &backupapi.AllBackupSetFreshnessRequest{Now: now}) {
				assert.NotErrorIs(t, err, context.Canceled, "no user is reported cut short by the walk's own stop")
			}
		},
		"AllBackupJobs": func(c *backupapi.AhsayClient) {
			for _, err := range c.AllBackupJobs(t.Context(), &backupapi.AllBackupJobsRequest{Date: now.Add(-2 * time.Hour)}) {
				assert.NotErrorIs(t, err, context.Canceled, "no user is reported cut short by the walk's own stop")
			}
		},
	}
	for name, walk := range walks {
		for _, where := range []struct{ what, suffix string }{{"a per-user call", "/ListBackupSets.do"}, {"the users listing", "/ListUsers.do"}} {
			t.Run(name+" raises a panic in "+where.what+" in its caller's goroutine", func(t *testing.T) {
				srv := backupapitest.NewUnstartedAhsayServer()
				for i, login := range []string{"alice", "bob", "carol"} {
					srv.SeedHistory("", login, backupapitest.AhsayHistory{
						Set:  backupapitest.AhsayBackupSet{ID: "190000000000" + string(rune('1'+i)), Name: "Documents"},
						Runs: []backupapi.BackupJobStatus{backupapi.BackupSuccess}, Last: now.Add(-2 * time.Hour)})
				}
				suffix := where.suffix
				if name == "AllBackupJobs" && suffix == "/ListBackupSets.do" {
					suffix = "/ListBackupJobStatus.do"
				}
				c, err := backupapi.NewAhsayClient("https://cbs.test", srv.SysUser, srv.SysPwd,
					backupapi.WithHTTPClient(&http.Client{Transport: panicsOn(srv, suffix, "a defect")}))
				require.NoError(t, err)
				assert.PanicsWithValue(t, "a defect", func() { walk(c) })
			})
		}
	}
}
