package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestABadSettingIsSaidBeforeAnySecretIsRead gives no secret anywhere, so
// that reading one fails ("no password", "no passphrase"): the setting's
// own mistake must come first, for the connection's password and for the
// secrets a command asks for itself.
func TestABadSettingIsSaidBeforeAnySecretIsRead(t *testing.T) {
	dir := t.TempDir()
	garbageCA := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbageCA, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"a bad --ahsay-version before the system password", nil, []string{"ahsay", "system", "auth", "--ahsay-version", "nine"}, "--ahsay-version"},
		{"a bad AHSAY_VERSION before the system password", map[string]string{"AHSAY_VERSION": "latest"}, []string{"ahsay", "users", "list"}, "AHSAY_VERSION"},
		{"a bad --ahsay-version before a new user's password", nil, []string{"ahsay", "users", "add", "dave", "--quota", "5GiB", "--ahsay-version", "nine"}, "--ahsay-version"},
		{"a missing --ca-file before a user's password", nil, []string{"ahsay", "users", "auth", "alice", "--ca-file", filepath.Join(dir, "none.pem")}, "none.pem"},
		{"a --ca-file without a certificate before the appliance's password", nil, []string{"xclarity", "backups", "list", "--ca-file", garbageCA}, "no PEM certificate"},
		{"a --ca-file without a certificate before the passphrase", nil, []string{"xclarity", "backups", "restore", "prepare", sweepUUID, "--ca-file", garbageCA}, "no PEM certificate"},
		{"http:// without --allow-http before the password", map[string]string{"XCLARITY_URL": "http://lxca.example.com"}, []string{"xclarity", "jobs", "list"}, "--allow-http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AHSAY_URL", "https://cbs.example.com")
			t.Setenv("AHSAY_SYSUSER", "system")
			t.Setenv("XCLARITY_URL", "https://lxca.example.com")
			t.Setenv("XCLARITY_USER", "admin")
			for _, k := range []string{"AHSAY_SYSPWD", "XCLARITY_PASSWORD", "XCLARITY_PASSPHRASE", "CA_FILE", "AHSAY_VERSION"} {
				t.Setenv(k, "")
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runHere(t, tc.args...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Contains(t, stderr, tc.want)
			assert.NotContains(t, stderr, "password", "no secret was asked for first")
			assert.NotContains(t, stderr, "passphrase", "no secret was asked for first")
			assert.Empty(t, stdout)
		})
	}
}
