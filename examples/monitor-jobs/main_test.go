package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMonitorReportsProgressAndTheEnd(t *testing.T) {
	srv := backupapitest.NewAhsayServer()
	defer srv.Close()
	c, err := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd, backupapi.WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go demoJobs(ctx, srv, 5*time.Millisecond)
	var out bytes.Buffer
	require.NoError(t, monitor(ctx, c, 2*time.Millisecond, &out))
	assert.Contains(t, out.String(), "alice")
	assert.Contains(t, out.String(), "100%")
	assert.Contains(t, out.String(), "alice/1 finished")
	assert.Contains(t, out.String(), "bob/2 finished")
}
