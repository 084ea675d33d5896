package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/backupapi/backupapi/internal/age"
	"github.com/spf13/cobra"
)

// Monitoring Plugins exit codes: the contract of Nagios, Icinga, Naemon
// and Sensu checks.
const (
	pluginOK       = 0
	pluginWarning  = 1
	pluginCritical = 2
	pluginUnknown  = 3
)

// defaultCheckTimeout bounds a whole check unless --timeout says.
const defaultCheckTimeout = 30 * time.Second

var pluginStatusNames = [...]string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}

// pluginExitCodes lists the plugin exit codes, as "help exit-codes" and
// "check --help" say them.
const pluginExitCodes = "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN"

// checkCommand is "backupapi check": monitoring plugins.
func (a *app) checkCommand() *cobra.Command {
	ah := group("ahsay", "Check AhsayCBS backups: set freshness, a day's jobs", "backupapi check ahsay freshness --warn 26h --crit 72h", a.checkAhsayFreshness(), a.checkAhsayJobs())
	a.checkConnectionFlags(ah, ahsayProduct)
	xc := group("xclarity", "Check an XClarity Administrator's own backups", "backupapi check xclarity backups --warn 8d --crit 15d", a.checkXClarityBackups())
	a.checkConnectionFlags(xc, xclarityProduct)
	c := group("check", "Monitoring plugins for Nagios, Icinga, Naemon and Sensu (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)",
		"backupapi check ahsay jobs --date yesterday", ah, xc)
	c.Long = `The check commands follow the Monitoring Plugins Development Guidelines: they print one
status line, "BACKUP <STATUS> - <summary> | <performance data>", then the worst items, one per
line, and exit 0 (OK), 1 (WARNING), 2 (CRITICAL) or 3 (UNKNOWN). A check that cannot tell (a
connection or credential failure, a bad flag, the --timeout running out) says UNKNOWN, never OK.
Credentials come from the environment or --password-file, as for every other command.`
	return c
}

// checkConnectionFlags adds the product's connection flags; --timeout
// bounds the whole check (the SDK's per-attempt bound follows it).
func (a *app) checkConnectionFlags(cmd *cobra.Command, p product) {
	a.connectionFlags(cmd, p)
	if f := cmd.PersistentFlags().Lookup("timeout"); f != nil {
		f.Usage = fmt.Sprintf("bound on the whole check: past it the check says UNKNOWN (default %s)", defaultCheckTimeout)
	}
}

// sysUserFlag adds --sys-user to a check whose --user selects backup users
// (the connection's --user is shadowed there): the system user, else
// $AHSAY_SYSUSER as for every command.
func (a *app) sysUserFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&a.conn.user, "sys-user", "", "the system user (default $"+ahsayProduct.userEnv+"); --user selects backup users here")
}

// checkContext is the check's context, bounded by --timeout.
func (a *app) checkContext(parent context.Context) (context.Context, context.CancelFunc) {
	d := a.conn.timeout
	if d <= 0 {
		d = defaultCheckTimeout
	}
	return context.WithTimeoutCause(parent, d, fmt.Errorf("timed out after %s (--timeout)", d))
}

// pluginExit ends a check with its exit code once its output is written.
type pluginExit struct{ code int }

func (e pluginExit) Error() string { return "plugin exit " + strconv.Itoa(e.code) }

// pluginCode turns how a check command ended into its exit code: a check
// that ended on anything but its own verdict (a bad flag, say) writes an
// UNKNOWN status line. cmd is the command the command line ran, as cobra
// found it; ok is false for the other commands.
func pluginCode(cmd *cobra.Command, err error, out io.Writer) (code int, ok bool) {
	if !isCheck(cmd) {
		return 0, false
	}
	var pe pluginExit
	switch {
	case err == nil:
		return pluginOK, true
	case errors.As(err, &pe):
		return pe.code, true
	}
	r := pluginResult{status: pluginUnknown, summary: err.Error()}
	r.write(out)
	return pluginUnknown, true
}

// commandRan is the command a command line ran, for pluginCode: the one
// cobra found, or, when the line failed before reaching a check, the
// command that the line's words that are not flags name. Cobra cannot
// tell a flag it does not know from one that takes the next word as its
// value, so on "--bogus check ahsay freshness" it takes "check" as
// --bogus's value and finds "ahsay"; the line still meant a check.
func commandRan(root, found *cobra.Command, args []string, err error) *cobra.Command {
	if err == nil || isCheck(found) {
		return found
	}
	var words []string
	for _, w := range args {
		if w == "--" {
			break
		}
		if !strings.HasPrefix(w, "-") {
			words = append(words, w)
		}
	}
	if cmd, _, findErr := root.Find(words); findErr == nil && isCheck(cmd) {
		return cmd
	}
	return found
}

// isCheck reports whether cmd is "check" or one of its subcommands,
// wherever the command line put its flags ("-o table check ..." too).
func isCheck(cmd *cobra.Command) bool {
	for ; cmd != nil; cmd = cmd.Parent() {
		if cmd.Name() == "check" && cmd.Parent() != nil && !cmd.Parent().HasParent() {
			return true
		}
	}
	return false
}

// pluginResult is a check's verdict and what it prints.
type pluginResult struct {
	status  int
	summary string   // the status line's text
	details []string // the worst items, one per line
	perf    []perfDatum
}

// unknown is the verdict of a check that could not tell.
func unknown(err error) pluginResult {
	return pluginResult{status: pluginUnknown, summary: err.Error()}
}

// write prints the verdict: the status line with the performance data,
// then the details. Every server string has been through pluginText.
func (r pluginResult) write(w io.Writer) {
	var b strings.Builder
	b.WriteString("BACKUP " + pluginStatusNames[r.status] + " - " + pluginText(r.summary))
	if len(r.perf) > 0 {
		b.WriteString(" |")
		seen := map[string]bool{}
		for _, p := range r.perf {
			p.label = uniqueLabel(seen, perfLabel(p.label))
			b.WriteString(" " + p.String())
		}
	}
	b.WriteByte('\n')
	for _, d := range r.details {
		b.WriteString(pluginText(d) + "\n")
	}
	_, _ = io.WriteString(w, b.String())
}

// finish writes the verdict and returns the error that carries its code.
func (r pluginResult) finish(w io.Writer) error {
	r.write(w)
	return pluginExit{r.status}
}

// perfDatum is one item of performance data:
// 'label'=value[UOM];[warn];[crit];[min];[max].
type perfDatum struct {
	label, uom           string
	value                float64
	warn, crit, min, max string
}

// perf builds a datum with min 0 (every value here is a count, size or age).
func perf(label string, value float64, uom string) perfDatum {
	return perfDatum{label: label, value: value, uom: uom, min: "0"}
}

// thresholds sets the warning and critical thresholds.
func (p perfDatum) thresholds(warn, crit string) perfDatum { p.warn, p.crit = warn, crit; return p }

// String writes the datum in the guidelines' grammar: the label (see
// perfLabel) quoted when it holds a space or a quote (a quote doubled),
// trailing empty fields dropped.
func (p perfDatum) String() string {
	label := perfLabel(p.label)
	if strings.ContainsAny(label, " '") {
		label = "'" + strings.ReplaceAll(label, "'", "''") + "'"
	}
	fields := []string{strconv.FormatFloat(p.value, 'f', -1, 64) + p.uom, p.warn, p.crit, p.min, p.max}
	for len(fields) > 1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return label + "=" + strings.Join(fields, ";")
}

// perfLabel makes a label of a server's string: the guidelines allow any
// character but "=" (and a quote, which quoting doubles), so "=", the
// control characters, bidi controls and invalid UTF-8 become "_", and "|" (which some parsers take for the
// start of the performance data wherever it is) "¦".
func perfLabel(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '=' || r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' ||
			isBidiControl(r) || r == utf8.RuneError:
			return '_'
		case r == '|':
			return '¦'
		}
		return r
	}, s)
}

// uniqueLabel returns label, or label with "#2", "#3"... when two server
// strings came out as the same label: one datum never hides another.
func uniqueLabel(seen map[string]bool, label string) string {
	out := label
	for n := 2; seen[out]; n++ {
		out = label + "#" + strconv.Itoa(n)
	}
	seen[out] = true
	return out
}

// ageSeconds is an age as perfdata gives it: whole seconds, rounded as the
// status line's age (fmtAge) rounds, so that "3s old" is never 2s in the
// perfdata of the same line.
func ageSeconds(d time.Duration) float64 { return float64(d.Round(time.Second) / time.Second) }

// seconds writes a duration as a perfdata threshold in whole seconds ("" for 0).
func seconds(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return strconv.FormatInt(int64(d/time.Second), 10)
}

// pluginText makes a server's string safe for a plugin's output: control
// characters (a newline would start a new output line, an escape sequence
// would reach the operator's terminal) are escaped as everywhere else in
// the command line (escapeControls), and "|" (which starts the
// performance data) becomes "¦".
func pluginText(s string) string {
	return strings.ReplaceAll(escapeControls(strings.NewReplacer("\u2028", `\u2028`, "\u2029", `\u2029`).Replace(s)), "|", "¦")
}

// counted writes a count with its noun in the number it takes: "1 backup",
// "0 backups", "2 backups". Every count in a check's output goes through it.
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// fmtAge writes an age compactly, the one age format of every check line:
// 4d, 3d4h, 5h30m, 45m, and seconds under a minute (3s).
func fmtAge(d time.Duration) string { return age.Format(d) }

// ageValue is a duration flag that also takes days and weeks: 8d, 1w,
// 1d12h, 26h, 90m.
type ageValue struct{ d *time.Duration }

func (v ageValue) String() string {
	if v.d == nil {
		return ""
	}
	return fmtAge(*v.d)
}

func (v ageValue) Type() string { return "age" }

func (v ageValue) Set(s string) error {
	d, err := parseAge(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// parseAge reads an age: a Go duration whose units may also be d and w.
func parseAge(s string) (time.Duration, error) { return age.Parse(s) }

// ageFlag adds an age flag with a default.
func ageFlag(cmd *cobra.Command, p *time.Duration, name string, def time.Duration, usage string) {
	*p = def
	cmd.Flags().Var(ageValue{p}, name, usage)
}
