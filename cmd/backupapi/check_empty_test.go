package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckFreshnessOnAServerWithoutSetsSaysSo: a server with no backup
// set at all (a new one, or the wrong one) is UNKNOWN, and the status line
// does not blame a filter the command line never gave.
func TestCheckFreshnessOnAServerWithoutSetsSaysSo(t *testing.T) {
	for _, args := range [][]string{{"check", "ahsay", "freshness"}, {"check", "ahsay", "freshness", "--users-only"}} {
		t.Run(args[len(args)-1], func(t *testing.T) {
			ahsay, _, _ := checkFakes(t)
			ahsay.Reset()
			require.Empty(t, ahsay.Users(), "the fake holds no user")
			code, o := runCheck(t, args...)
			assert.Equal(t, pluginUnknown, code, o.text)
			assert.Contains(t, o.text, "to judge: the server has none")
		})
	}
}
