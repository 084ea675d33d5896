package exporter

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// panicking is a refresher with a defect: every refresh panics.
type panicking struct{ refresher }

func (panicking) refresh(context.Context, *snapshot) (*snapshot, map[string]int, error) {
	panic("a defect in a refresher")
}

// TestAPanickingRefreshDownsItsTargetOnly: a refresh that panics leaves
// its target down (error kind "other", its last good values kept by the
// usual rule) and logged, and never reaches the goroutine that runs the
// target's refreshes (where it would end the exporter and every target).
func TestAPanickingRefreshDownsItsTargetOnly(t *testing.T) {
	f := startFleet(t, "")
	f.stop()
	cbs := f.exp.byName["cbs"]
	cbs.refreshOnce(context.Background())
	good, _ := cbs.served()
	require.NotNil(t, good)

	cbs.r = panicking{cbs.r}
	require.NotPanics(t, func() { cbs.refreshOnce(context.Background()) })
	snap, st := cbs.served()
	assert.Equal(t, "other", st.errKind)
	assert.Same(t, good, snap, "the last good snapshot is served as for any failed refresh")
	assert.Contains(t, f.logs.String(), "refresh panicked")
	assert.Contains(t, f.logs.String(), "a defect in a refresher")

	cbs.r = cbs.r.(panicking).refresher
	cbs.refreshOnce(context.Background())
	_, st = cbs.served()
	assert.Empty(t, st.errKind, "the next refresh that works brings the target back")
}
