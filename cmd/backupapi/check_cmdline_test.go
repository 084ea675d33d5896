package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestACheckIsKnownByItsCommandNotByItsFirstWord: a check run with a
// flag before "check" (the root's -o, whose value is a separate word) is
// still a check: a mistake is UNKNOWN with a status line, never the CLI's
// usage code 2, which a monitoring system reads as CRITICAL.
func TestACheckIsKnownByItsCommandNotByItsFirstWord(t *testing.T) {
	checkFakes(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"-o and its value before check", []string{"-o", "table", "check", "ahsay", "freshness"}},
		{"--output and its value before check", []string{"--output", "json", "check", "xclarity", "backups"}},
		{"-o before check, a bad flag after it", []string{"-o", "csv", "check", "ahsay", "jobs", "--date", "soon"}},
		{"--output= before check", []string{"--output=json", "check", "ahsay", "freshness"}},
		{"-o after check", []string{"check", "-o", "json", "ahsay", "freshness"}},
		{"an unknown flag before check", []string{"--bogus", "check", "ahsay", "freshness"}},
		{"an unknown shorthand before check", []string{"-x", "check", "xclarity", "backups"}},
		{"a root flag before check that takes check as its value", []string{"--timeout", "check", "ahsay", "jobs"}},
	} {
		t.Run(tc.name+" is UNKNOWN with a status line", func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
			assert.Equal(t, pluginUnknown, code, "stdout %q, stderr %q", out.String(), errOut.String())
			if code == pluginUnknown {
				o := parseIcinga(t, out.String())
				assert.Equal(t, "UNKNOWN", o.state)
			}
		})
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"a bad flag after it", []string{"-o", "table", "ahsay", "users", "list", "--nope"}},
		{"an unknown flag before it", []string{"--bogus", "ahsay", "users", "list"}},
		{"an unknown flag before it, check as an argument", []string{"--bogus", "ahsay", "users", "get", "check"}},
	} {
		t.Run("a command that is not a check, with "+tc.name+", keeps the CLI's codes", func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, stdio{in: strings.NewReader(""), out: &out, errOut: &errOut})
			assert.Equal(t, exitUsage, code)
			assert.NotContains(t, out.String(), "BACKUP UNKNOWN")
		})
	}
}
