package main

import (
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
)

// TestEveryRequiredArgumentRefusesEmpty walks every leaf command with
// positional arguments and gives each required one, in turn, as "": a
// usage mistake (exit 2) naming the argument, found before anything is
// read or sent — not an empty ID sent to the server (exit 6).
func TestEveryRequiredArgumentRefusesEmpty(t *testing.T) {
	t.Setenv("AHSAY_URL", "https://cbs.invalid")
	t.Setenv("AHSAY_SYSUSER", "system")
	t.Setenv("AHSAY_SYSPWD", "system1")
	t.Setenv("XCLARITY_URL", "https://lxca.invalid")
	t.Setenv("XCLARITY_USER", "admin")
	t.Setenv("XCLARITY_PASSWORD", "Passw0rd")
	t.Setenv("CA_FILE", "")
	swept := 0
	for _, path := range sortedLeaves() {
		cmd := leafCommands()[path]
		names := strings.Fields(cmd.Use)[1:]
		for j, name := range names {
			if strings.HasPrefix(name, "[") {
				continue
			}
			args := make([]string, 0, len(names)+1)
			for i, n := range names {
				switch {
				case i == j:
					args = append(args, "")
				case strings.HasPrefix(n, "["):
				case n == "on|off":
					args = append(args, "on")
				default:
					args = append(args, "17")
				}
			}
			if strings.HasSuffix(name, "...") {
				args = append(args, "") // a repeated one is required in every place, not only the first
				args[j] = "17"
			}
			swept++
			t.Run(path+"/"+name, func(t *testing.T) {
				code, stdout, stderr := runHere(t, append(strings.Fields(path), args...)...)
				assert.Equal(t, exitUsage, code, "%q: %s", args, stderr)
				assert.Contains(t, stderr, strings.Trim(name, "[].")+" is empty")
				assert.Empty(t, stdout)
			})
		}
	}
	assert.Greater(t, swept, 30, "the sweep found the commands with arguments")
}

func TestAnOptionalArgumentMayBeEmpty(t *testing.T) {
	code, stdout, stderr := runHere(t, "events", "format", "11915", "")
	assert.Equal(t, exitOK, code, stderr)
	assert.NotEmpty(t, stdout)
}

func TestUsersAddWithoutQuotaIsAUsageMistakeBeforeAnythingIsAsked(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"with a password file", []string{"--user-password-file", "{PW}"}},
		{"without one, before the prompt", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := useAhsay(t)
			args := []string{"ahsay", "users", "add", "dave", "--email", "d@example.com"}
			for _, a := range tc.args {
				if a == "{PW}" {
					a = writeTempFile(t, "Initial-Pa55\n")
				}
				args = append(args, a)
			}
			code, stdout, stderr := runHere(t, args...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Contains(t, stderr, "--quota is required")
			assert.NotContains(t, stderr, "password", "nothing was asked for")
			assert.Empty(t, stdout)
			assert.Zero(t, srv.Calls(backupapitest.OpAddUser), "nothing was sent")
		})
	}
}
