package backupapitest_test

import (
	"strings"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerOptionsAndSeeding(t *testing.T) {
	t.Run("PlainHTTP serves http, which the SDK takes only with WithAllowHTTP", func(t *testing.T) {
		srv := backupapitest.NewAhsayServer(backupapitest.PlainHTTP())
		defer srv.Close()
		require.True(t, strings.HasPrefix(srv.URL, "http://"))
		_, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd)
		require.Error(t, err)
		c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithAllowHTTP())
		require.NoError(t, err)
		_, err = c.ListUsers(ctx, nil)
		require.NoError(t, err)
	})
	t.Run("Empty starts an appliance without backups", func(t *testing.T) {
		srv := backupapitest.NewXClarityServer(backupapitest.Empty())
		defer srv.Close()
		assert.Empty(t, srv.Backups())
		srv.SeedBackup(backupapitest.XClarityBackup{UUID: "u1", Filename: "f.tgz"})
		require.Len(t, srv.Backups(), 1)
		assert.Equal(t, "internal", srv.Backups()[0].Location, "a seeded backup defaults to the local repository")
	})
	t.Run("AddDestination makes a destination visible to users", func(t *testing.T) {
		srv, c := transports[0].ahsay(t)
		req := &backupapi.AddUserRequest{UserRef: backupapi.UserRef{LoginName: "d"}, Password: "p",
			QuotaList: []backupapi.Quota{{Enabled: true, DestinationKey: "-42", Quota: backupapi.GiB}}}
		require.ErrorIs(t, c.AddUser(ctx, req), backupapi.ErrPermissionDenied)
		srv.AddDestination("-42", "Share-42")
		require.NoError(t, c.AddUser(ctx, req))
		u, ok := srv.User("", "d")
		require.True(t, ok)
		assert.Equal(t, "Share-42", u.Quotas[0].DestinationName)
	})
	t.Run("SetRunJobs and Users", func(t *testing.T) {
		srv, c := transports[0].ahsay(t)
		srv.SeedUser(backupapitest.AhsayUser{LoginName: "b"})
		srv.SeedUser(backupapitest.AhsayUser{LoginName: "a"})
		srv.SetRunJobs("a", backupapitest.RunJob{BackupSetID: "7", ExecuteJob: "backup"})
		jobs, err := c.GetServerRunJobStatus(ctx, backupapi.UserRef{LoginName: "a"})
		require.NoError(t, err)
		assert.Equal(t, []backupapi.RunJob{{BackupSetID: "7", ExecuteJob: "backup"}}, jobs)
		users := srv.Users()
		require.Len(t, users, 2)
		assert.Equal(t, "a", users[0].LoginName, "sorted by login name")
	})
}
