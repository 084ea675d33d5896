package main

import (
	"fmt"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/schollz/progressbar/v3"
)

// waitOptions shows a wait's progress: a bar on a terminal, plain lines
// ("copy: 42% Running") otherwise. done ends the bar.
func (a *app) waitOptions(label string) (opts backupapi.WaitOptions, done func()) {
	if !a.errTTY {
		return backupapi.WaitOptions{OnProgress: func(p backupapi.Progress) {
			if p.Percent >= 0 {
				fmt.Fprintf(a.errOut, "%s: %.0f%% %s\n", label, p.Percent, p.Status)
				return
			}
			fmt.Fprintf(a.errOut, "%s: %s\n", label, p.Status)
		}}, func() {}
	}
	bar := progressbar.NewOptions(100, progressbar.OptionSetWriter(a.errOut), progressbar.OptionSetDescription(label),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())
	return backupapi.WaitOptions{OnProgress: func(p backupapi.Progress) {
		bar.Describe(fmt.Sprintf("%s %s", label, p.Status))
		if p.Percent >= 0 {
			_ = bar.Set(int(p.Percent))
		}
	}}, func() { _ = bar.Finish(); fmt.Fprintln(a.errOut) }
}
