package exporter

import (
	"context"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCarriedValuesAreDroppedPastKeepLastGood: a user whose sets stay
// unreadable while the refreshes succeed keeps its last values for
// keep_last_good after they were read, then loses them, as a failing
// target does; its frozen verdict (overdue 0) never hides a stale set for good.
func TestCarriedValuesAreDroppedPastKeepLastGood(t *testing.T) {
	f := startFleet(t, "")
	f.stop()
	tg := f.exp.byName["cbs"]
	ar := tg.r.(*ahsayRefresher)
	clock := time.Now()
	ar.now = func() time.Time { return clock }
	tg.now = ar.now

	tg.refreshOnce(context.Background())
	good, _ := tg.served()
	require.NotNil(t, good)
	fresh := good.sections[setsSection(backupapi.UserRef{LoginName: f.seeded.Fresh.Login})]
	require.NotZero(t, fresh.to-fresh.from, "alice's set was read")

	f.ahsay.Inject(backupapitest.OpListBackupSets, backupapitest.Fault{Status: 403, Times: 1 << 20})
	for _, tc := range []struct {
		name    string
		advance time.Duration
		kept    bool
	}{
		{"an hour after the last read the sets are still served", time.Hour, true},
		{"at keep_last_good (3 intervals) they still are", 2 * time.Hour, true},
		{"past keep_last_good they are dropped", 2 * time.Minute, false},
		{"and stay dropped", time.Hour, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock = clock.Add(tc.advance)
			tg.refreshOnce(context.Background())
			snap, st := tg.served()
			require.NotNil(t, snap, "the refresh itself succeeded")
			assert.Empty(t, st.errKind)
			_, has := snap.sections[setsSection(backupapi.UserRef{LoginName: f.seeded.Fresh.Login})]
			assert.Equal(t, tc.kept, has)
			n := 0
			for i := range snap.samples {
				if snap.samples[i].desc == mSetOverdue.desc {
					n++
				}
			}
			if tc.kept {
				assert.Equal(t, 8, n, "every set carried")
			} else {
				assert.Zero(t, n, "no set's verdict outlives keep_last_good")
			}
		})
	}
}
