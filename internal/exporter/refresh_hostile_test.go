package exporter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileCBS is a fake AhsayCBS behind a proxy that can rewrite the two
// listings of a refresh (the users section's ListUsers and the one the set
// walk streams, LoginNameOnly) and fail one user's ListBackupSets, with an
// exporter of one target, "cbs", on it.
type hostileCBS struct {
	fake *backupapitest.AhsayServer
	exp  *Exporter

	mu sync.Mutex
	// users and walk rewrite the users of the users section's listing and
	// of the walk's; nil leaves them as the fake lists them.
	users, walk func([]map[string]any) []map[string]any
	// failSets fails ListBackupSets of these users (owner, login).
	failSets map[[2]string]bool
	// rawLogin, when set, is written for this login in every listing as
	// raw bytes (invalid UTF-8 the JSON encoder would mend).
	rawLogin map[string]string
	// owners and logins of the sets seeded, by set ID.
	setOf map[string][2]string
	// extraUsers are users only the listings hold (the fake cannot).
	extraUsers [][2]string
}

const hostilePassword = "Hostile-Sys-Pa55!"

func newHostileCBS(t *testing.T, concurrency int) *hostileCBS {
	t.Helper()
	h := &hostileCBS{failSets: map[[2]string]bool{}, rawLogin: map[string]string{}, setOf: map[string][2]string{}}
	h.fake = backupapitest.NewUnstartedAhsayServer(backupapitest.WithCredentials("system", hostilePassword))
	proxy := httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(proxy.Close)
	t.Setenv("HOSTILE_CBS_SYSPWD", hostilePassword)
	cfg, err := ParseConfig([]byte(fmt.Sprintf(`listen: 127.0.0.1:0
targets:
  - name: cbs
    type: ahsay
    url: %s
    allow_http: true
    user: system
    password_env: HOSTILE_CBS_SYSPWD
    interval: 1h
    concurrency: %d
    license: false
    freshness: {warn: 26h, critical: 72h}
`, proxy.URL, concurrency)))
	require.NoError(t, err)
	h.exp, err = New(cfg, Options{})
	require.NoError(t, err)
	return h
}

// seed gives the user (owner, login) one fresh set with this ID.
func (h *hostileCBS) seed(owner, login, setID string) {
	h.fake.SeedHistory(owner, login, backupapitest.AhsayHistory{
		Set:  backupapitest.AhsayBackupSet{ID: setID, Name: "Set " + setID},
		Runs: []backupapi.BackupJobStatus{backupapi.BackupSuccess}, Last: time.Now().Add(-2 * time.Hour)})
	h.mu.Lock()
	h.setOf[setID] = [2]string{owner, login}
	h.mu.Unlock()
}

func (h *hostileCBS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	var req map[string]any
	_ = json.Unmarshal(body, &req)
	str := func(k string) string { s, _ := req[k].(string); return s }
	h.mu.Lock()
	fail := h.failSets[[2]string{str("Owner"), str("LoginName")}]
	h.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, "/ListBackupSets.do") && fail {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	if !strings.HasSuffix(r.URL.Path, "/ListUsers.do") {
		h.fake.Handler().ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	h.fake.Handler().ServeHTTP(rec, r)
	var answer map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || answer["Status"] != "OK" {
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return
	}
	users, _ := answer["User"].([]any)
	list := make([]map[string]any, 0, len(users))
	for _, u := range users {
		list = append(list, u.(map[string]any))
	}
	h.mu.Lock()
	rewrite := h.users
	if walk, _ := req["LoginNameOnly"].(bool); walk {
		rewrite = h.walk
	}
	raw := h.rawLogin
	h.mu.Unlock()
	if rewrite != nil {
		list = rewrite(list)
	}
	answer["User"] = list
	out, _ := json.Marshal(answer)
	for mended, rawName := range raw {
		q, _ := json.Marshal(mended)
		out = bytes.ReplaceAll(out, q, append(append([]byte{'"'}, rawName...), '"'))
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(out)
}

// refresh runs one refresh of the target and returns its snapshot.
func (h *hostileCBS) refresh(t *testing.T) *snapshot {
	t.Helper()
	tg := h.exp.byName["cbs"]
	tg.refreshOnce(t.Context())
	snap, st := tg.served()
	require.Empty(t, st.errKind, "the refresh succeeded")
	require.NotNil(t, snap)
	return snap
}

// checkSnapshot asserts that every set series names the owner and login
// its set was seeded under, that every user series' labels are a seeded
// user's, that each sample's text is its labels', and that /metrics is
// what Gather gives and what promtool accepts. It returns the sets' series
// by owner and login.
func (h *hostileCBS) checkSnapshot(t *testing.T, snap *snapshot) map[[2]string]int {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	seededUsers := map[[2]string]bool{}
	for _, u := range h.setOf {
		// a listing's invalid UTF-8 reads as U+FFFD, as encoding/json reads it
		seededUsers[mended(u)] = true
	}
	for _, u := range h.extraUsers {
		seededUsers[u] = true
	}
	perUser := map[[2]string]int{}
	seen := map[string]bool{}
	for _, i := range snap.order { // the series served
		s := &snap.samples[i]
		require.Equal(t, string(appendLabels(nil, s.labels)), s.text, "a sample's text is its labels")
		key := s.desc.String() + s.text
		assert.False(t, seen[key], "one series once: %s", s.text)
		seen[key] = true
		owner, user := pairNamed(s.labels, "owner").GetValue(), pairNamed(s.labels, "user").GetValue()
		if id := pairNamed(s.labels, "set_id"); id != nil {
			want, ok := h.setOf[id.GetValue()]
			require.True(t, ok, "set %q was seeded", id.GetValue())
			assert.Equal(t, mended(want), [2]string{owner, user}, "set %s: its owner and user", id.GetValue())
			perUser[want]++
			continue
		}
		if pairNamed(s.labels, "user") != nil {
			assert.True(t, seededUsers[[2]string{owner, user}], "user series of a seeded user: %q", s.text)
		}
	}

	rec := httptest.NewRecorder()
	h.exp.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	written := rec.Body.String()
	rec = httptest.NewRecorder()
	promhttp.HandlerFor(h.exp.Gatherer(), promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, 200, rec.Code, "Gather: %s", rec.Body.String())
	got, want := families(t, written), families(t, rec.Body.String())
	require.Equal(t, len(want), len(got), "the same families")
	for name, mf := range want {
		assert.Equal(t, flatten(mf), flatten(got[name]), "family %s", name)
	}
	promtool := needTool(t, "promtool")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(written)
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "promtool check metrics: %s", out)
	return perUser
}

// mended is an owner and login as a listing's reader sees them: invalid
// UTF-8 reads as U+FFFD, as encoding/json reads it.
func mended(u [2]string) [2]string {
	return [2]string{strings.ToValidUTF8(u[0], "\uFFFD"), strings.ToValidUTF8(u[1], "\uFFFD")}
}

type cbsUser struct{ owner, login string }

func (u cbsUser) key() [2]string { return [2]string{u.owner, u.login} }

// without drops the users of a listing named login (any owner).
func without(login string) func([]map[string]any) []map[string]any {
	return func(list []map[string]any) []map[string]any {
		out := list[:0]
		for _, u := range list {
			if u["LoginName"] != login {
				out = append(out, u)
			}
		}
		return out
	}
}

// plus adds a user of this owner and login to a listing, first, as a copy
// of the listing's first user (a user only the listing knows).
func plus(owner, login string) func([]map[string]any) []map[string]any {
	return func(list []map[string]any) []map[string]any {
		u := map[string]any{}
		for k, v := range list[0] {
			u[k] = v
		}
		u["LoginName"], u["Owner"], u["UserId"] = login, owner, login
		return append([]map[string]any{u}, list...)
	}
}

func reversed(list []map[string]any) []map[string]any {
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// twice lists the user named login twice, the second time at the end.
func twice(login string) func([]map[string]any) []map[string]any {
	return func(list []map[string]any) []map[string]any {
		for _, u := range list {
			if u["LoginName"] == login {
				return append(list, u)
			}
		}
		return list
	}
}

func TestEverySetSeriesNamesItsOwnUser(t *testing.T) {
	plain := []cbsUser{{"", "alice"}, {"", "bob"}, {"r1", "carol"}, {"", "dave"}, {"r2", "erin"}, {"", "frank"}}
	for _, tc := range []struct {
		name        string
		users       []cbsUser
		first, walk func([]map[string]any) []map[string]any
		// sets is the set series a user has (4 a set), when not 4
		sets map[[2]string]int
		raw  bool // the listings send the names' invalid UTF-8 as it is
		// extra are the users the listings add
		extra [][2]string
	}{
		{name: "the walk lists the users in reverse order", users: plain, walk: reversed},
		{name: "the users section lists them in reverse order", users: plain, first: reversed},
		{name: "a user added between the listings has its sets", users: plain, first: without("dave")},
		{name: "a user deleted between the listings has no sets", users: plain, walk: without("dave"),
			sets: map[[2]string]int{{"", "dave"}: 0}},
		{name: "the same login under three owners is three users",
			users: []cbsUser{{"", "carol"}, {"r1", "carol"}, {"r2", "carol"}, {"r1", "dave"}, {"", "dave"}}},
		{name: "the same login under three owners, listed in reverse by the walk",
			users: []cbsUser{{"", "carol"}, {"r1", "carol"}, {"r2", "carol"}, {"r1", "dave"}, {"", "dave"}}, walk: reversed},
		{name: "quotes, backslashes, newlines and empty owners keep their names", users: []cbsUser{
			{"", `qu"ote`}, {`own"er`, `back\slash`}, {`own\er`, "new\nline"}, {"", `trailing\`},
			{"a\nb", "tab\there"}, {"", "ünïcödé 🗄"}, {"", "# HELP x"}, {"r1", `a"b\c` + "\n"}}},
		{name: "owners and logins that join alike are different users",
			users: []cbsUser{{"a/b", "c"}, {"a", "b/c"}, {"", "a/b/c"}}},
		{name: "invalid UTF-8 in a login and an owner reads as U+FFFD, its sets unreadable", users: []cbsUser{
			{"", "alice"}, {"", "bad\xffname"}, {"own\xfe", "bob"}}, raw: true,
			sets: map[[2]string]int{{"", "bad\xffname"}: 0}},
		{name: "a user with an empty login, unreadable, fails no other user", users: plain,
			first: plus("", ""), walk: plus("", ""), extra: [][2]string{{"", ""}}},
		{name: "a user with an empty login and an owner, unreadable, fails no other user", users: plain,
			first: plus("r1", ""), walk: plus("r1", ""), extra: [][2]string{{"r1", ""}}},
		{name: "the walk lists a user twice: its series once", users: plain, walk: twice("bob")},
		{name: "the users section lists a user twice: its series once", users: plain, first: twice("bob")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHostileCBS(t, 2)
			for i, u := range tc.users {
				h.seed(u.owner, u.login, fmt.Sprint(1900000000000+i))
			}
			h.users, h.walk, h.extraUsers = tc.first, tc.walk, tc.extra
			if tc.raw {
				for _, u := range tc.users {
					for _, name := range []string{u.owner, u.login} {
						if mended := strings.ToValidUTF8(name, "\uFFFD"); mended != name {
							h.rawLogin[mended] = name
						}
					}
				}
			}
			perUser := h.checkSnapshot(t, h.refresh(t))
			for _, u := range tc.users {
				want, ok := tc.sets[u.key()]
				if !ok {
					want = 4
				}
				assert.Equal(t, want, perUser[u.key()], "set series of %q/%q", u.owner, u.login)
			}
		})
	}
}

func TestAUserWhoseSetsFailKeepsItsOwnSeries(t *testing.T) {
	for _, tc := range []struct {
		name    string
		users   []cbsUser
		failing cbsUser
	}{
		{name: "a user among others",
			users: []cbsUser{{"", "alice"}, {"", "bob"}, {"r1", "carol"}}, failing: cbsUser{"", "bob"}},
		{name: "the same login under another owner",
			users: []cbsUser{{"", "carol"}, {"r1", "carol"}, {"r2", "carol"}}, failing: cbsUser{"r1", "carol"}},
		// the fake lists a/"b/c" before a/b/"c"
		{name: "an owner and login that join as another user's do, listed first",
			users: []cbsUser{{"a/b", "c"}, {"a", "b/c"}}, failing: cbsUser{"a", "b/c"}},
		{name: "an owner and login that join as another user's do, listed last",
			users: []cbsUser{{"a/b", "c"}, {"a", "b/c"}}, failing: cbsUser{"a/b", "c"}},
		{name: "names with quotes, backslashes and newlines",
			users: []cbsUser{{`o"w\n`, "x\ny"}, {"", `q"\`}}, failing: cbsUser{`o"w\n`, "x\ny"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHostileCBS(t, 1) // the listing's order, to the end
			for i, u := range tc.users {
				h.seed(u.owner, u.login, fmt.Sprint(1900000000000+i))
			}
			h.checkSnapshot(t, h.refresh(t))
			h.mu.Lock()
			h.failSets[tc.failing.key()] = true
			h.mu.Unlock()
			perUser := h.checkSnapshot(t, h.refresh(t))
			for _, u := range tc.users {
				assert.Equal(t, 4, perUser[u.key()], "set series of %q/%q", u.owner, u.login)
			}
		})
	}
}

func TestThousandsOfUsersEachKeepTheirOwnUserPair(t *testing.T) {
	const users = 1000 // beyond the window of concurrency 64 (272 users)
	for _, concurrency := range []int{1, 64} {
		t.Run(fmt.Sprintf("at concurrency %d, listed in reverse by the walk", concurrency), func(t *testing.T) {
			h := newHostileCBS(t, concurrency)
			for i := range users {
				h.seed([]string{"", "r1", "r2"}[i%3], fmt.Sprintf("user%05d", i), fmt.Sprint(1900000000000+i))
			}
			h.walk = reversed
			snap := h.refresh(t)
			perUser := h.checkSnapshot(t, snap)
			assert.Len(t, perUser, users)
			for u, n := range perUser {
				if n != 4 {
					assert.Equal(t, 4, n, "set series of %q", u)
				}
			}
		})
		t.Run(fmt.Sprintf("at concurrency %d, a set series shares its user's pair", concurrency), func(t *testing.T) {
			h := newHostileCBS(t, concurrency)
			for i := range users {
				h.seed([]string{"", "r1", "r2"}[i%3], fmt.Sprintf("user%05d", i), fmt.Sprint(1900000000000+i))
			}
			snap := h.refresh(t)
			h.checkSnapshot(t, snap)
			byUser := map[[2]string]any{}
			sp := snap.sections[usersSection]
			for _, s := range snap.samples[sp.from:sp.to] {
				byUser[[2]string{pairNamed(s.labels, "owner").GetValue(), pairNamed(s.labels, "user").GetValue()}] = pairNamed(s.labels, "user")
			}
			unshared := 0
			for _, s := range snap.samples {
				if s.desc != mSetLastSuccess.desc {
					continue
				}
				if byUser[[2]string{pairNamed(s.labels, "owner").GetValue(), pairNamed(s.labels, "user").GetValue()}] != any(pairNamed(s.labels, "user")) {
					unshared++
				}
			}
			assert.Zero(t, unshared, "set series with a user pair of their own")
		})
	}
}
