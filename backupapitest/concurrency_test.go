package backupapitest_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheFakesAreSafeForConcurrentUse(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			srv, c := tr.ahsay(t)
			xsrv, xc := tr.xc(t)
			var wg sync.WaitGroup
			for i := 0; i < 16; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					name := fmt.Sprintf("user%02d", i)
					assert.NoError(t, c.AddUser(ctx, &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: name}, Password: "p", QuotaList: someQuota}))
					_, err := c.ListUsers(ctx, nil)
					assert.NoError(t, err)
					_, err = xc.ListBackups(ctx)
					assert.NoError(t, err)
					_, err = xc.CopyBackup(ctx, &backupapi.TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/s"})
					assert.NoError(t, err)
				}()
			}
			wg.Wait()
			require.Len(t, srv.Users(), 16)
			assert.Equal(t, 16, srv.Calls("AddUser"))
			assert.Equal(t, 16, xsrv.Calls("CopyBackup"))
			assert.Equal(t, 1, xsrv.Calls("Login"), "concurrent first calls share one session")
		})
	}
}
