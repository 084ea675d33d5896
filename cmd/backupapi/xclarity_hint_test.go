package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAnUnknownBackupUUIDSaysWhereToCheck: the appliance answers an
// operation on a backup it does not know with 400; every command that
// names a backup by UUID keeps the exit code of an invalid request and
// says where to check the UUID.
func TestAnUnknownBackupUUIDSaysWhereToCheck(t *testing.T) {
	const hint = "check the UUID with `backupapi xclarity backups list`"
	pass := secretFile(t, "Phrase-For-Tests-1\n", 0o600)
	for _, args := range [][]string{
		{"backups", "copy", "nope", "--to", "internal"},
		{"backups", "move", "nope", "--to", "internal"},
		{"backups", "push", "nope", "--to", "10.0.0.5"},
		{"backups", "delete", "nope", "--location", "internal"},
		{"backups", "restore", "prepare", "nope", "--passphrase-file", pass},
		{"backups", "restore", "start", "nope", "--passphrase-file", pass},
	} {
		t.Run(args[1]+" "+args[2], func(t *testing.T) {
			useXClarity(t)
			code, _, stderr := runHere(t, append([]string{"xclarity"}, args...)...)
			assert.Equal(t, 6, code, stderr)
			assert.Contains(t, stderr, hint)
		})
	}
}
