package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTracingPrintsTheSpanTree(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, false))
	lines := strings.Split(out.String(), "\n")
	// Each span in its place: "name" at the root, "└─ name" or "├─ name"
	// below its parent, with the lines of the tree.
	for _, want := range []string{
		"ahsay AddUser ",
		"└─ POST /obs/api/json/2/AddUser.do ",
		"├─ POST /obs/api/json/2/GetUser.do ",
		"└─ POST /obs/api/json/2/GetUser.do ",
		"ahsay AllUsers ",
		"└─ ahsay ListUsers ",
		"   └─ POST /obs/api/json/2/ListUsers.do ",
		"xclarity CopyBackup ",
		"├─ xclarity Login ",
		"│  └─ POST /sessions ",
		"xclarity WaitForJob ",
		"├─ xclarity GetJob ",
		"│  └─ GET /tasks/{id} ",
		"xclarity Close ",
	} {
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, want)
		}
		assert.True(t, found, "a line starts with %q in:\n%s", want, out.String())
	}
	for _, want := range []string{"error.type=503", "resend_count=1", "stopped_early=true", "result=ErrNotFound"} {
		assert.Contains(t, out.String(), want)
	}
}

func TestTracingJSONIsTheExportersAndHoldsNoSecret(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out, true))
	spans, err := readSpans(bytes.NewReader(out.Bytes()))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(spans), 20, "every span was exported")
	for _, secret := range []string{backupapitest.DefaultSysPwd, backupapitest.DefaultPassword, "Tracing-Demo-1", "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", "/mnt/backups"} {
		assert.NotContains(t, out.String(), secret)
	}
}
