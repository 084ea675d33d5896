package backupapi

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWaitersPollNoFasterThanTheFloor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockAhsay(t, WithRetry(0, 0, 0))
		mt.RegisterResponder("POST", rebuildPath, jsonResponder(200, rebuild("Running")))
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := c.WaitForRebuild(ctx, &WaitForRebuildRequest{UserRef: obm, BackupSetID: "1"}, WaitOptions{MinInterval: 1, MaxInterval: 1})
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.LessOrEqual(t, mt.GetTotalCallCount(), int(time.Second/MinPollInterval)+1)
		assert.GreaterOrEqual(t, mt.GetTotalCallCount(), 5)
	})
}
