package backupapitest_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// soakUser is what a worker was told about one of its users.
type soakUser struct {
	exists, existsKnown bool
	notes               string
	notesKnown          bool
	contacts            map[string]bool // e-mails: true = confirmed, false = outcome unknown
}

// TestSoak runs 32 goroutines of mixed operations against the fake over
// TLS while random faults are injected, then checks that the server's state
// agrees with every outcome the callers were told: no write reported done
// that did not happen, none done twice. It is bounded by count, not time
// (each goroutine makes its rounds however slow the machine); SOAK_ROUNDS
// lengthens it (default 12 a goroutine).
func TestSoak(t *testing.T) {
	rounds := 12
	if n, err := strconv.Atoi(os.Getenv("SOAK_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	srv, client := fakeAhsay(t, withClient(backupapi.WithRetry(3, time.Millisecond, 20*time.Millisecond), backupapi.WithTimeout(2*time.Second)))

	ctx := t.Context() // no deadline of its own: go test's -timeout guards a hang
	faultOps := []string{backupapitest.OpAddUser, backupapitest.OpUpdateUser, backupapitest.OpRemoveUser, backupapitest.OpGetUser,
		backupapitest.OpListUsers, backupapitest.OpListBackupJobStatus}
	faults := []backupapitest.Fault{
		{Status: 502}, {Status: 503}, {Status: 429}, {Status: 500},
		{Drop: backupapitest.DropBeforeAct}, {Drop: backupapitest.DropAfterAct},
		{Body: backupapitest.BodyTruncated}, {Body: backupapitest.BodyHTML}, {Body: backupapitest.BodyEmpty},
	}
	inject := func() { // before each round, about one in three: faults queue up, so a fair share of calls meet one
		if rand.N(3) == 0 {
			srv.Inject(faultOps[rand.N(len(faultOps))], faults[rand.N(len(faults))])
		}
	}

	const workers = 32
	models := make([]map[string]*soakUser, workers)
	var addCalls, ops atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		models[w] = map[string]*soakUser{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			soakWorker(ctx, t, client, w, rounds, inject, models[w], &addCalls, &ops)
		}()
	}
	wg.Wait()

	checked := 0
	for w := 0; w < workers; w++ {
		for name, m := range models[w] {
			u, exists := srv.User("", name)
			if m.existsKnown {
				require.Equal(t, m.exists, exists, "user %s: existence agrees with what the caller was told", name)
			}
			if !exists {
				continue
			}
			checked++
			if m.notesKnown {
				assert.Equal(t, m.notes, u.Notes, "user %s: notes", name)
			}
			seen := map[string]int{}
			for _, c := range u.Contacts {
				seen[c.Email]++
				_, told := m.contacts[c.Email]
				assert.True(t, told, "user %s: contact %s was never asked for", name, c.Email)
			}
			for email, confirmed := range m.contacts {
				if confirmed {
					assert.Equal(t, 1, seen[email], "user %s: confirmed contact %s is there once", name, email)
				}
			}
			for email, n := range seen {
				assert.Equal(t, 1, n, "user %s: contact %s added once", name, email)
			}
		}
	}
	assert.LessOrEqual(t, int64(srv.Calls("AddUser")), addCalls.Load(), "the server never acted more often than AddUser was called")
	t.Logf("soak: %d operations by %d goroutines; %d users checked", ops.Load(), workers, checked)
	assert.Equal(t, int64(workers*rounds), ops.Load(), "every round was made")
	assert.Positive(t, checked, "users were checked")
}

func soakWorker(ctx context.Context, t *testing.T, c *backupapi.AhsayClient, w, rounds int, inject func(), model map[string]*soakUser, addCalls, ops *atomic.Int64) {
	next := 0
	pick := func(mustExist bool) (string, *soakUser) {
		for name, m := range model {
			if !mustExist || (m.existsKnown && m.exists) {
				return name, m
			}
		}
		return "", nil
	}
	for range rounds {
		inject()
		ops.Add(1)
		var err error
		switch op := rand.N(8); {
		case op == 0 || len(model) == 0:
			name := fmt.Sprintf("soak-%02d-%03d", w, next)
			next++
			addCalls.Add(1)
			err = c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: name}, Password: "pw", QuotaList: someQuota})
			m := &soakUser{contacts: map[string]bool{}, notesKnown: true}
			model[name] = m
			switch {
			case err == nil:
				m.exists, m.existsKnown = true, true
			case errors.Is(err, backupapi.ErrOutcomeUnknown), ctx.Err() != nil:
				m.existsKnown = false
			default:
				m.exists, m.existsKnown = false, true
			}
		case op == 1:
			name, m := pick(true)
			if m == nil {
				continue
			}
			notes := fmt.Sprintf("n%d", rand.N(1_000_000))
			err = c.UpdateUser(ctx, &backupapi.UpdateUserRequest{UserRef: backupapi.UserRef{LoginName: name}, Notes: backupapi.Ptr(notes)})
			switch {
			case err == nil:
				m.notes, m.notesKnown = notes, true
			case errors.Is(err, backupapi.ErrOutcomeUnknown), ctx.Err() != nil:
				m.notesKnown = false
			}
		case op == 2:
			name, m := pick(true)
			if m == nil {
				continue
			}
			email := fmt.Sprintf("c%d@%s.example", rand.N(1_000_000_000), name)
			err = c.AppendContacts(ctx, &backupapi.ContactsRequest{UserRef: backupapi.UserRef{LoginName: name}, Contacts: []backupapi.Contact{backupapi.Contact{Email: email}}})
			switch {
			case err == nil:
				m.contacts[email] = true
			case errors.Is(err, backupapi.ErrOutcomeUnknown), ctx.Err() != nil:
				m.contacts[email] = false
			}
		case op == 3:
			name, m := pick(true)
			if m == nil || rand.N(4) != 0 {
				continue
			}
			err = c.RemoveUser(ctx, backupapi.UserRef{LoginName: name})
			switch {
			case err == nil:
				m.exists = false
			case errors.Is(err, backupapi.ErrOutcomeUnknown), ctx.Err() != nil:
				m.existsKnown = false
			}
		case op == 4:
			name, m := pick(true)
			if m == nil {
				continue
			}
			var d *backupapi.UserDetail
			d, err = c.GetUser(ctx, backupapi.UserRef{LoginName: name})
			if err == nil && m.notesKnown {
				assert.Equal(t, m.notes, d.Notes, "a read agrees with the last confirmed write")
			}
		case op == 6:
			name, m := pick(true)
			if m == nil {
				continue
			}
			_, err = c.ListBackupJobStatus(ctx, &backupapi.ListBackupJobStatusRequest{UserRef: backupapi.UserRef{LoginName: name}, Date: time.Now()})
		case op == 7:
			for _, e := range c.AllBackupJobs(ctx, &backupapi.AllBackupJobsRequest{Date: time.Now(), Concurrency: 2,
				Users: &backupapi.ListUsersRequest{SearchStr: fmt.Sprintf("soak-%02d-", w)}}) {
				var apiErr *backupapi.Error
				if e != nil && !errors.As(e, &apiErr) {
					t.Errorf("untyped error from AllBackupJobs %T: %v", e, e)
				}
			}
		default:
			_, err = c.ListUsers(ctx, &backupapi.ListUsersRequest{SearchStr: fmt.Sprintf("soak-%02d-", w)})
		}
		var apiErr *backupapi.Error
		if err != nil && !errors.As(err, &apiErr) {
			t.Errorf("untyped error %T: %v", err, err)
		}
	}
}
