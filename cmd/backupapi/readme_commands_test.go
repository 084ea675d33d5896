package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheREADMEListsEveryCommand: the README's "Commands:" bullet names
// every top-level command and each of its subcommands, so that a reader
// learns of check and exporter where the commands are listed.
func TestTheREADMEListsEveryCommand(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	text := string(readme)
	start := strings.Index(text, "- Commands: ")
	require.GreaterOrEqual(t, start, 0, "the README has its Commands bullet")
	end := strings.Index(text[start:], "\n- ")
	require.Greater(t, end, 0)
	bullet := text[start : start+end]

	a := &app{}
	for _, c := range a.rootCommand().Commands() {
		if c.Hidden || c.Name() == "help" || c.IsAdditionalHelpTopicCommand() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			i := strings.Index(bullet, "`"+c.Name()+" ")
			if i < 0 {
				i = strings.Index(bullet, "`"+c.Name()+"`")
			}
			require.GreaterOrEqual(t, i, 0, "the Commands bullet names %q", c.Name())
			entry := bullet[i+1:]
			entry = entry[:strings.Index(entry, "`")]
			for _, sub := range c.Commands() {
				if sub.Hidden || sub.Name() == "help" {
					continue
				}
				assert.Contains(t, strings.FieldsFunc(entry, func(r rune) bool { return r == ' ' || r == '|' }),
					sub.Name(), "the Commands bullet's %q lists %q", entry, sub.Name())
			}
		})
	}
	assert.Contains(t, bullet, "`help exit-codes`", "the exit-code help topic is listed")
}
