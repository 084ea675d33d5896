package backupapitest_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSoakXClarity runs goroutines of the backup lifecycle (seeded backups
// deleted, jobs and the quiesce status read, a backup made) against the
// fake appliance over TLS while random faults are injected, then checks
// the appliance's backups against what every caller was told: a deletion
// reported done happened, one refused did not.
func TestSoakXClarity(t *testing.T) {
	duration := 2 * time.Second
	if d, err := time.ParseDuration(os.Getenv("SOAK_DURATION")); err == nil {
		duration = d
	}
	srv := backupapitest.NewXClarityServer(backupapitest.Empty(), backupapitest.WithJobDuration(50*time.Millisecond))
	defer srv.Close()
	const workers, perWorker = 8, 30
	for w := range workers {
		for i := range perWorker {
			srv.SeedBackup(backupapitest.XClarityBackup{UUID: fmt.Sprintf("soak-%d-%d", w, i), Filename: "b.tgz"})
		}
	}
	c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()),
		backupapi.WithRetry(3, time.Millisecond, 20*time.Millisecond), backupapi.WithTimeout(2*time.Second))
	require.NoError(t, err)
	defer c.Close(context.Background())

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	faultOps := []string{backupapitest.OpDeleteBackup, backupapitest.OpListJobs, backupapitest.OpQuiesceStatus, backupapitest.OpListBackups}
	faults := []backupapitest.Fault{{Status: 502}, {Status: 503}, {Status: 500}, {Drop: backupapitest.DropBeforeAct},
		{Drop: backupapitest.DropAfterAct}, {Body: backupapitest.BodyTruncated}, {Body: backupapitest.BodyHTML}}
	var injector sync.WaitGroup
	injector.Go(func() {
		for ctx.Err() == nil {
			srv.Inject(faultOps[rand.N(len(faultOps))], faults[rand.N(len(faults))])
			time.Sleep(10 * time.Millisecond) // faults queue up: about one call in a few meets one
		}
	})

	// deleted[w][i]: 1 told done, 2 told refused, 3 outcome unknown.
	deleted := make([][perWorker]int, workers)
	var ops atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			next := 0
			for ctx.Err() == nil && next < perWorker {
				ops.Add(1)
				var err error
				switch rand.N(4) {
				case 0:
					_, err = c.DeleteBackup(ctx, &backupapi.DeleteBackupRequest{UUID: fmt.Sprintf("soak-%d-%d", w, next), Location: backupapi.LocationInternal})
					switch {
					case err == nil:
						deleted[w][next] = 1
					case errors.Is(err, backupapi.ErrOutcomeUnknown), ctx.Err() != nil:
						deleted[w][next] = 3
					default:
						deleted[w][next] = 2
					}
					next++
				case 1:
					_, err = c.ListJobs(ctx, &backupapi.ListJobsRequest{Compact: rand.N(2) == 0})
				case 2:
					_, err = c.QuiesceStatus(ctx)
				default:
					_, err = c.ListBackups(ctx)
				}
				var apiErr *backupapi.Error
				if err != nil && !errors.As(err, &apiErr) {
					t.Errorf("untyped error %T: %v", err, err)
				}
			}
		})
	}
	wg.Wait()
	injector.Wait()

	present := map[string]bool{}
	for _, b := range srv.Backups() {
		present[b.UUID] = true
	}
	checked := 0
	for w := range workers {
		for i, told := range deleted[w] {
			id := fmt.Sprintf("soak-%d-%d", w, i)
			switch told {
			case 1:
				assert.False(t, present[id], "%s: a deletion reported done happened", id)
				checked++
			case 2:
				assert.True(t, present[id], "%s: a deletion reported refused did not happen", id)
				checked++
			}
		}
	}
	t.Logf("soak: %d operations by %d goroutines in %s; %d deletions checked", ops.Load(), workers, duration, checked)
	assert.Greater(t, ops.Load(), int64(workers), "the soak did work")
	assert.Positive(t, checked, "deletions were checked")
}
