package main

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryCheckRefusesMisleadingSettings walks every check command: each
// of its int flags set negative (but those whose negative value means
// something) and each warning threshold set past its critical one is
// UNKNOWN, names the flag, and sends nothing. A new check or flag is swept
// without a change here.
func TestEveryCheckRefusesMisleadingSettings(t *testing.T) {
	type sweepCase struct {
		name string
		args []string
		want string
	}
	var cases []sweepCase
	var meaningful []sweepCase
	for path, c := range leafCommands() {
		if !strings.HasPrefix(path, "check ") {
			continue
		}
		base := strings.Fields(path)
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			if f.Value.Type() != "int" {
				return
			}
			tc := sweepCase{path + " --" + f.Name + " -1", append(append([]string(nil), base...), "--"+f.Name, "-1"), "--" + f.Name + " -1: want a count"}
			if f.Annotations[negativeMeans] != nil {
				meaningful = append(meaningful, tc)
				return
			}
			cases = append(cases, tc)
		})
		for _, p := range thresholdPairs {
			w, cr := c.Flags().Lookup(p[0]), c.Flags().Lookup(p[1])
			if w == nil || cr == nil {
				continue
			}
			high, low := "5", "2"
			if w.Value.Type() == "age" {
				high, low = "3d", "1d"
			}
			cases = append(cases, sweepCase{path + " --" + p[0] + " past --" + p[1],
				append(append([]string(nil), base...), "--"+p[0], high, "--"+p[1], low),
				"--" + p[0] + " " + high + " is past --" + p[1] + " " + low + ": the warning would never show"})
		}
	}
	require.GreaterOrEqual(t, len(cases), 9, "the sweep found the checks' counts and thresholds")
	require.NotEmpty(t, meaningful, "--lookback's negative means the newest day only")
	for _, tc := range cases {
		t.Run(tc.name+" is UNKNOWN and sends nothing", func(t *testing.T) {
			ahsay, xc, _ := checkFakes(t)
			code, o := runCheck(t, tc.args...)
			assert.Equal(t, pluginUnknown, code, o.text)
			assert.Contains(t, o.text, tc.want)
			assert.Empty(t, ahsay.Requests(), "nothing sent to AhsayCBS")
			assert.Empty(t, xc.Requests(), "nothing sent to XClarity")
		})
	}
	for _, tc := range meaningful {
		t.Run(tc.name+" is a setting, not a mistake", func(t *testing.T) {
			checkFakes(t)
			_, o := runCheck(t, tc.args...)
			assert.NotContains(t, o.text, "want a count")
		})
	}
}
