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

func TestPush(t *testing.T) {
	for _, tc := range []struct {
		name, failWith, want string
	}{
		{"completes", "", "pushed: Complete"},
		{"reports a stopped job", "Stopped_With_Error", "the push ended Stopped_With_Error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := backupapitest.NewXClarityServer(backupapitest.WithJobDuration(time.Millisecond))
			defer srv.Close()
			srv.FailJobs(backupapi.JobStatus(tc.failWith))
			c, err := backupapi.NewXClarityClient(srv.URL, srv.Username, srv.Password, backupapi.WithHTTPClient(srv.Client()))
			require.NoError(t, err)
			var out bytes.Buffer
			err = push(context.Background(), c, "10.0.0.9", &out)
			if tc.failWith == "" {
				require.NoError(t, err)
				assert.Contains(t, out.String(), "lxca-backup-2.tgz", "the newest backup is pushed")
				assert.Contains(t, out.String(), tc.want)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
