package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProvisionCreatesSkipsAndConfirmsLostAnswers(t *testing.T) {
	srv := backupapitest.NewAhsayServer()
	defer srv.Close()
	c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	srv.Inject("AddUser", backupapitest.Fault{Drop: backupapitest.DropAfterAct}) // alice's answer is lost
	var out bytes.Buffer
	created, skipped, err := provision(context.Background(), c, strings.NewReader(sample), &out)
	require.NoError(t, err)
	assert.Equal(t, 2, created)
	assert.Equal(t, 1, skipped)
	assert.Contains(t, out.String(), "alice      created (confirmed after a lost answer)")
	assert.Equal(t, 3, srv.Calls("AddUser"), "no row was sent twice")
	u, ok := srv.User("", "bob")
	require.True(t, ok)
	assert.Equal(t, int64(20<<30), u.Quotas[0].Quota)
}
