package main

import (
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// negativeMeans marks an int flag of a check whose negative value means
// something (its usage says what); every other int flag of a check is a
// count, refused when negative.
const negativeMeans = "backupapi/negative-means"

// thresholdPairs are the warning and critical flags a check may have:
// the warning must not be past the critical one.
var thresholdPairs = [][2]string{{"warn", "crit"}, {"fail-warn", "fail-crit"}}

// refuseMisleadingSettings refuses the settings of a check that parse but
// could only mislead, as the exporter's config refuses them: a negative
// count (--max-items -1 would list nothing, --fail-crit -1 judge nothing),
// and a warning threshold past its critical one (--warn 3d --crit 1d: the
// warning would never show). Every check calls it before connecting, so
// that the mistake is UNKNOWN and nothing is sent.
func refuseMisleadingSettings(cmd *cobra.Command) error {
	var err error
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Value.Type() != "int" || f.Annotations[negativeMeans] != nil {
			return
		}
		if n, convErr := strconv.Atoi(f.Value.String()); convErr == nil && n < 0 {
			err = usagef("--%s %d: want a count, 0 or more", f.Name, n)
		}
	})
	if err != nil {
		return err
	}
	for _, p := range thresholdPairs {
		w, c := cmd.Flags().Lookup(p[0]), cmd.Flags().Lookup(p[1])
		if w == nil || c == nil {
			continue
		}
		if wv, cv := thresholdValue(w), thresholdValue(c); wv > 0 && cv > 0 && wv > cv {
			return usagef("--%s %s is past --%s %s: the warning would never show", w.Name, w.Value, c.Name, c.Value)
		}
	}
	return nil
}

// thresholdValue is a threshold flag's value as a number: an age's
// duration, or a count.
func thresholdValue(f *pflag.Flag) float64 {
	if a, ok := f.Value.(ageValue); ok {
		return float64(*a.d)
	}
	n, _ := strconv.Atoi(f.Value.String())
	return float64(n)
}

// negativeMeansFlag marks name's negative value as meaningful (see
// negativeMeans).
func negativeMeansFlag(cmd *cobra.Command, name string) {
	_ = cmd.Flags().SetAnnotation(name, negativeMeans, []string{"true"})
}
