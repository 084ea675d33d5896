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
)

// TestSoakXClarity runs goroutines of the backup lifecycle (each round a
// read — jobs, the quiesce status or the backups — then the deletion of
// one of its seeded backups) against the fake appliance over TLS while
// random faults are injected, then checks the appliance's backups against
// what every caller was told: a deletion reported done happened, one
// refused did not, and only a deletion that met a fault was left unknown.
//
// It is bounded by count, not time: every round is done however slow the
// machine (a soak that counted what it did in a fixed time failed under
// -race on a loaded one). SOAK_ROUNDS lengthens it.
func TestSoakXClarity(t *testing.T) {
	rounds := 10
	if n, err := strconv.Atoi(os.Getenv("SOAK_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	const workers = 8
	srv, c := fakeXClarity(t, withServer(backupapitest.Empty(), backupapitest.WithJobDuration(50*time.Millisecond)),
		withClient(backupapi.WithRetry(3, time.Millisecond, 20*time.Millisecond),
			backupapi.WithTimeout(time.Minute))) // no fault stalls: a slow machine must not time a deletion out into "unknown"
	for w := range workers {
		for i := range rounds {
			srv.SeedBackup(backupapitest.XClarityBackup{UUID: fmt.Sprintf("soak-%d-%d", w, i), Filename: "b.tgz"})
		}
	}
	defer c.Close(context.Background())

	ctx := t.Context() // no deadline of its own: go test's -timeout guards a hang
	faultOps := []string{backupapitest.OpDeleteBackup, backupapitest.OpListJobs, backupapitest.OpQuiesceStatus, backupapitest.OpListBackups}
	faults := []backupapitest.Fault{{Status: 502}, {Status: 503}, {Status: 500}, {Drop: backupapitest.DropBeforeAct},
		{Drop: backupapitest.DropAfterAct}, {Body: backupapitest.BodyTruncated}, {Body: backupapitest.BodyHTML}}

	// told[w][i]: what worker w was told of deleting its backup i.
	const (
		toldDone = iota + 1
		toldRefused
		toldUnknown
	)
	told := make([][]int, workers)
	var ops, deleteFaults atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		told[w] = make([]int, rounds)
		wg.Go(func() {
			for i := range rounds {
				if rand.N(3) == 0 { // faults queue up: about one call in a few meets one
					op := faultOps[rand.N(len(faultOps))]
					if op == backupapitest.OpDeleteBackup {
						deleteFaults.Add(1)
					}
					srv.Inject(op, faults[rand.N(len(faults))])
				}
				var err error
				switch rand.N(3) {
				case 0:
					_, err = c.ListJobs(ctx, &backupapi.ListJobsRequest{Compact: rand.N(2) == 0})
				case 1:
					_, err = c.QuiesceStatus(ctx)
				default:
					_, err = c.ListBackups(ctx)
				}
				soakTyped(t, err)
				_, err = c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: fmt.Sprintf("soak-%d-%d", w, i), Location: backupapi.LocationInternal})
				soakTyped(t, err)
				switch {
				case err == nil:
					told[w][i] = toldDone
				case errors.Is(err, backupapi.ErrOutcomeUnknown):
					told[w][i] = toldUnknown
				default:
					told[w][i] = toldRefused
				}
				ops.Add(2)
			}
		})
	}
	wg.Wait()

	present := map[string]bool{}
	for _, b := range srv.Backups() {
		present[b.UUID] = true
	}
	checked, unknown := 0, 0
	for w := range workers {
		for i, what := range told[w] {
			id := fmt.Sprintf("soak-%d-%d", w, i)
			switch what {
			case toldDone:
				assert.False(t, present[id], "%s: a deletion reported done happened", id)
				checked++
			case toldRefused:
				assert.True(t, present[id], "%s: a deletion reported refused did not happen", id)
				checked++
			case toldUnknown:
				unknown++
			default:
				t.Errorf("%s: the deletion was never told an outcome", id)
			}
		}
	}
	t.Logf("soak: %d operations by %d goroutines; %d deletions checked, %d unknown, %d faults queued for deletions",
		ops.Load(), workers, checked, unknown, deleteFaults.Load())
	assert.Equal(t, int64(2*workers*rounds), ops.Load(), "every round was done")
	assert.LessOrEqual(t, int64(unknown), deleteFaults.Load(), "only a deletion that met a fault is left unknown")
	assert.Equal(t, workers*rounds, checked+unknown, "every deletion was told done, refused or unknown")
}

// soakTyped fails the soak on an error that is not an *backupapi.Error.
func soakTyped(t *testing.T, err error) {
	var apiErr *backupapi.Error
	if err != nil && !errors.As(err, &apiErr) {
		t.Errorf("untyped error %T: %v", err, err)
	}
}
