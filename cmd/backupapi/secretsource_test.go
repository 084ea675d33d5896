package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretFile writes a secret file with exactly the given mode (not the
// umask's).
func secretFile(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret.txt")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	require.NoError(t, os.Chmod(path, mode))
	return path
}

// secretFileFlags are the flags that name a file holding a secret, each
// with a command that reads it; TestEverySecretFileFlagIsKnown keeps the
// list complete.
// (TestRestoreTakesThePassphraseAsCreateDoes checks what --passphrase-file
// sends.)
var secretFileFlags = map[string]struct {
	args []string
	sent string // how the secret shows in the AhsayCBS request
}{
	"--password-file":      {[]string{"ahsay", "system", "auth", "--allow-http"}, `"SysPwd":"File-Secret-1"`},
	"--user-password-file": {[]string{"ahsay", "users", "auth", "alice", "--allow-http"}, `"Password":"File-Secret-1"`},
	"--passphrase-file":    {args: []string{"xclarity", "backups", "restore", "prepare", backupUUID, "--allow-http"}},
}

func TestEverySecretFileFlagIsKnown(t *testing.T) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if strings.HasSuffix(f.Name, "-file") && f.Value.Type() == "string" && f.Name != "ca-file" {
				assert.Contains(t, secretFileFlags, "--"+f.Name, "%s --%s names a file: if it holds a secret, add it to secretFileFlags", c.CommandPath(), f.Name)
				if _, secret := secretFileFlags["--"+f.Name]; secret {
					assert.IsType(t, namedFile{}, f.Value, "%s --%s refuses an empty name (add it to secretFileFlagNames)", c.CommandPath(), f.Name)
				}
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk((&app{}).rootCommand())
}

func TestSecretFiles(t *testing.T) {
	for flag, use := range secretFileFlags {
		cmd := use.args
		t.Run(flag, func(t *testing.T) {
			for _, tc := range []struct {
				name    string
				content string
				mode    os.FileMode
				extra   []string
				refused string // "" when the file is read
			}{
				{name: "mode 0600 is read", content: "File-Secret-1\n", mode: 0o600},
				{name: "mode 0400 is read", content: "File-Secret-1", mode: 0o400},
				{name: "only the first line is the secret", content: "File-Secret-1\r\nsomething else\n", mode: 0o600},
				{name: "mode 0644 is refused: others may read it", content: "File-Secret-1\n", mode: 0o644, refused: "permissions 0644 are too open"},
				{name: "mode 0640 is refused: the group may read it", content: "File-Secret-1\n", mode: 0o640, refused: "permissions 0640 are too open"},
				{name: "mode 0604 is refused", content: "File-Secret-1\n", mode: 0o604, refused: "permissions 0604 are too open"},
				{name: "mode 0644 is read with --allow-insecure-password-file", content: "File-Secret-1\n", mode: 0o644, extra: []string{"--allow-insecure-password-file"}},
				{name: "an empty file is refused", content: "", mode: 0o600, refused: "the first line is empty"},
				{name: "an empty first line is refused", content: "\nFile-Secret-1\n", mode: 0o600, refused: "the first line is empty"},
				{name: "a first line longer than any secret is refused, unread", content: strings.Repeat("s", maxSecretBytes+1), mode: 0o600,
					refused: "the first line is longer than 64 KiB: not a secret"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					stub := newAhsayStub(t, map[string]string{"AuthSystemUser": `{"Status":"OK"}`, "AuthUser": `{"Status":"OK"}`})
					xclarityBehind(t, nil)
					// The environment holds other secrets: the file beats them.
					t.Setenv("AHSAY_SYSPWD", "Env-Secret-2")
					t.Setenv("XCLARITY_PASSPHRASE", "Env-Secret-2")
					path := secretFile(t, tc.content, tc.mode)
					code, stdout, stderr := runCLI(context.Background(), append(append(cmd, flag, path), tc.extra...)...)
					assert.NotContains(t, stdout+stderr, "File-Secret-1", "the secret is never shown")
					if tc.refused != "" {
						assert.Equal(t, exitUsage, code, stderr)
						assert.Contains(t, stderr, flag+" "+path+": "+tc.refused)
						assert.Empty(t, stub.asked(), "nothing was sent")
						return
					}
					require.Equal(t, 0, code, stderr)
					if use.sent != "" {
						assert.Contains(t, stub.sent(), use.sent, "the file's secret was sent, not the environment's")
					}
				})
			}
			t.Run("a file that never ends its first line is refused at once (/dev/zero)", func(t *testing.T) {
				stub := newAhsayStub(t, nil)
				xclarityBehind(t, nil)
				code, _, stderr := runCLI(context.Background(), append(cmd, flag, "/dev/zero")...)
				assert.Equal(t, exitUsage, code, stderr)
				assert.Contains(t, stderr, flag+" /dev/zero: the first line is longer than 64 KiB: not a secret")
				assert.Empty(t, stub.asked())
			})
			t.Run("an empty file name is refused, not passed over for the environment", func(t *testing.T) {
				stub := newAhsayStub(t, nil)
				xclarityBehind(t, nil)
				t.Setenv("AHSAY_SYSPWD", "Env-Secret-2")
				t.Setenv("XCLARITY_PASSPHRASE", "Env-Secret-2")
				for _, arg := range [][]string{{flag, ""}, {flag + "="}} {
					code, _, stderr := runCLI(context.Background(), append(cmd, arg...)...)
					assert.Equal(t, exitUsage, code, stderr)
					assert.Contains(t, stderr, flag+`" flag: no file named`)
					assert.Empty(t, stub.asked())
				}
			})
			t.Run("a file that does not exist is refused, not passed over for the environment", func(t *testing.T) {
				stub := newAhsayStub(t, nil)
				xclarityBehind(t, nil)
				t.Setenv("AHSAY_SYSPWD", "Env-Secret-2")
				t.Setenv("XCLARITY_PASSPHRASE", "Env-Secret-2")
				code, _, stderr := runCLI(context.Background(), append(cmd, flag, "/nonexistent/secret.txt")...)
				assert.Equal(t, exitUsage, code, stderr)
				assert.Contains(t, stderr, flag+": open /nonexistent/secret.txt: no such file or directory")
				assert.Empty(t, stub.asked())
			})
		})
	}
}

func TestASecretLineIsBoundedAtMaxSecretBytes(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		ok            bool
	}{
		{"the longest secret, ended by a newline", strings.Repeat("s", maxSecretBytes) + "\n", true},
		{"the longest secret, at the end of the file", strings.Repeat("s", maxSecretBytes), true},
		{"the longest secret, ended by CR LF", strings.Repeat("s", maxSecretBytes) + "\r\n", true},
		{"a byte more", strings.Repeat("s", maxSecretBytes+1) + "\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readSecretFile("--password-file", secretFile(t, tc.content, 0o600), false)
			if !tc.ok {
				assert.ErrorContains(t, err, "longer than 64 KiB")
				assert.NotContains(t, err.Error(), "sss", "the content is never shown")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, strings.Repeat("s", maxSecretBytes), got)
		})
	}
}
