package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartRunsOnTheFakes(t *testing.T) {
	for _, v := range []string{"AHSAY_URL", "XCLARITY_URL"} {
		t.Setenv(v, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, &out))
	text := out.String()
	for _, want := range []string{
		"Started a fake AhsayCBS",
		"Added user quickstart-user",
		"ListUsers found 1 user(s)",
		"Raised the quota to 75 GiB",
		"ops@example.com",
		"Storage in ",
		"errors.Is(err, backupapi.ErrNotFound) is true",
		"Started a fake XClarity Administrator",
		"100% Complete",
		": Complete.",
		"is event 11915 (Warning), session 42",
		"Removed user quickstart-user",
	} {
		assert.Contains(t, text, want)
	}
}
