package main

import (
	"fmt"
	"io"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/schollz/progressbar/v3"
)

// waitOptions shows a wait's progress on stderr: a bar on a terminal,
// plain lines ("copy: 42% Running") otherwise, the server's status text
// escaped in both. finish ends it: on success (ok) the bar is filled to
// 100 % and the last plain line says 100 % and the final status.
func (a *app) waitOptions(label string) (opts backupapi.WaitOptions, finish func(ok bool, status string)) {
	label = escapeControls(label)
	if !a.errTTY {
		last := -1.0
		line := func(percent float64, status string) {
			if percent >= 0 {
				fmt.Fprintf(a.errOut, "%s: %.0f%% %s\n", label, percent, oneLine(status))
				return
			}
			fmt.Fprintf(a.errOut, "%s: %s\n", label, oneLine(status))
		}
		return backupapi.WaitOptions{OnProgress: func(p backupapi.Progress) {
				last = p.Percent
				line(p.Percent, p.Status)
			}}, func(ok bool, status string) {
				if ok && last < 100 {
					line(100, status)
				}
			}
	}
	bar := progressbar.NewOptions(100, progressbar.OptionSetWriter(a.errOut), progressbar.OptionSetDescription(label),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30))
	return backupapi.WaitOptions{OnProgress: func(p backupapi.Progress) {
			bar.Describe(label + " " + oneLine(p.Status))
			if p.Percent >= 0 {
				_ = bar.Set(int(p.Percent))
			}
		}}, func(ok bool, status string) {
			if ok {
				bar.Describe(label + " " + oneLine(status))
				_ = bar.Finish() // fills the bar: 100 %
			} else {
				_ = bar.Exit()
			}
			_, _ = io.WriteString(a.errOut, "\n")
		}
}
