package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommandsWithTheirOwnOutputHideAndRefuseOutputFlag walks every leaf
// command: one that writes its own output (check, exporter) neither lists
// -o/--output in its help nor takes it; every other lists it.
func TestCommandsWithTheirOwnOutputHideAndRefuseOutputFlag(t *testing.T) {
	notOurs := map[string]bool{"help": true} // cobra's help and completion scripts
	var own []string
	for _, path := range sortedLeaves() {
		c := leafCommands()[path]
		if notOurs[path] || strings.HasPrefix(path, "completion") {
			continue
		}
		args := strings.Fields(path)
		t.Run(path, func(t *testing.T) {
			_, help, _ := runHere(t, append(args, "--help")...)
			if c.Annotations[ownOutputAnnotation] == "" {
				assert.Contains(t, help, "-o, --output", "a command that renders results lists --output")
				return
			}
			own = append(own, path)
			assert.NotContains(t, help, "--output", "its help lists a flag it does not use")
			code, stdout, stderr := runHere(t, append(args, "-o", "json")...)
			assert.NotZero(t, code)
			assert.Contains(t, stdout+stderr, "drop -o/--output")
		})
	}
	require.Subset(t, own, []string{"exporter", "check ahsay freshness", "check ahsay jobs", "check xclarity backups"})
}
