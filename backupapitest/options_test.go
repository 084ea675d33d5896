package backupapitest_test

import (
	"crypto/x509"
	"net/http"
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
		srv.SeedUser(backupapitest.AhsayUser{LoginName: "a", BackupSets: []string{"7"}})
		srv.SetRunJobs("", "a", backupapitest.AhsayRunJob{BackupSetID: "7", ExecuteJob: "backup"})
		jobs, err := c.GetServerRunJobStatus(ctx, backupapi.UserRef{LoginName: "a"})
		require.NoError(t, err)
		assert.Equal(t, []backupapi.RunJob{{BackupSetID: "7", ExecuteJob: "backup"}}, jobs)
		users := srv.Users()
		require.Len(t, users, 2)
		assert.Equal(t, "a", users[0].LoginName, "sorted by login name")
	})
}

func TestStartedAndUnstartedServersAsHttptestMeansThem(t *testing.T) {
	t.Run("NewUnstartedAhsayServer holds no socket until StartTLS", func(t *testing.T) {
		srv := backupapitest.NewUnstartedAhsayServer()
		defer srv.Close()
		assert.Empty(t, srv.URL)
		assert.Nil(t, srv.Certificate())
		srv.StartTLS()
		require.True(t, strings.HasPrefix(srv.URL, "https://127.0.0.1:"))
		require.NotNil(t, srv.Certificate())
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithRootCAs(pool))
		require.NoError(t, err)
		_, err = c.ListUsers(ctx, nil)
		require.NoError(t, err, "Certificate is what WithRootCAs needs")
		assert.Panics(t, srv.StartTLS, "started twice")
	})
	t.Run("NewUnstartedXClarityServer starts plain http with Start", func(t *testing.T) {
		srv := backupapitest.NewUnstartedXClarityServer()
		defer srv.Close()
		srv.Start()
		require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
		c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithAllowHTTP())
		require.NoError(t, err)
		_, err = c.ListBackups(ctx)
		require.NoError(t, err)
	})
	t.Run("an unstarted server serves through its Handler and closes harmlessly", func(t *testing.T) {
		srv := backupapitest.NewUnstartedXClarityServer()
		c, err := backupapi.NewXClarityClient("https://lxca.test", srv.Username, srv.Password,
			backupapi.WithHTTPClient(&http.Client{Transport: backupapitest.Transport(srv.Handler())}))
		require.NoError(t, err)
		_, err = c.ListBackups(ctx)
		require.NoError(t, err)
		srv.Close()
	})
}
