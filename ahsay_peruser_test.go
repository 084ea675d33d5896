package backupapi_test

import (
	"bytes"
	"encoding/json"
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
