package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnApplianceMessageOnSuccessIsANoteNotAnError: what the appliance
// says with a successful action ("The backup ... was started") goes to
// stderr as it is, not labelled "success:" like an error's reason.
func TestAnApplianceMessageOnSuccessIsANoteNotAnError(t *testing.T) {
	xclarityBehind(t, nil)
	t.Setenv("XCLARITY_PASSPHRASE", "a-long-enough-passphrase")
	code, _, stderr := runCLI(context.Background(), "xclarity", "backups", "create", "--allow-http")
	require.Equal(t, 0, code, stderr)
	require.NotEmpty(t, strings.TrimSpace(stderr), "the appliance's message is shown")
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		assert.NotContains(t, strings.ToLower(line), "success:", "a note, not a labelled error")
	}
}
