package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// fail writes err through the error door and returns the run's exit
// code: one line on stderr ("backupapi: ..."), or one JSON object under
// -o json ({"error": ..., "exit_code": ..., "meaning": ...}). Nothing is
// written for a report that already listed its failures.
func (a *app) fail(err error) int {
	code := exitCodeOf(err)
	if err == nil || errors.Is(err, errFailuresReported) {
		return code
	}
	msg := errorMessage(err)
	switch {
	case code == exitInterrupted:
		msg = "interrupted"
		if a.leftRunning != "" {
			msg += "; " + a.leftRunning
		}
	case code == exitUsage && a.output != "json":
		msg += " (see --help)"
	}
	a.writeError(msg, code)
	return code
}

// warn reports an error the command goes on after (one user's jobs, a
// malformed log record), in the same form as fail, without an exit code.
func (a *app) warn(err error) { a.writeError(errorMessage(err), 0) }

// note writes on stderr a message the appliance sent with an action's
// result: as it is when the action succeeded (it says what was started,
// and is no error), after the result otherwise ("warning: ...").
func (a *app) note(result, text string) {
	if strings.EqualFold(result, "success") {
		a.writeError(errorMessage(errors.New(text)), 0)
		return
	}
	a.warn(fmt.Errorf("%s: %s", result, text))
}

func (a *app) writeError(msg string, code int) {
	if a.output == "json" {
		obj := struct {
			Error    string `json:"error"`
			ExitCode int    `json:"exit_code,omitempty"`
			Meaning  string `json:"meaning,omitempty"`
		}{msg, code, exitMeaning(code)}
		if code == 0 {
			obj.Meaning = ""
		}
		_ = writeJSON(a.errOut, obj, false)
		return
	}
	_, _ = io.WriteString(a.errOut, "backupapi: "+msg+"\n")
}

// errorMessage is err as the command line says it: on one line, with its
// control characters escaped, without the SDK's "backupapi: " prefix
// (which the line already starts with), and with the SDK's hints that
// name Go options said as the flags a shell user has.
func errorMessage(err error) string {
	s := err.Error()
	for strings.HasPrefix(s, "backupapi: ") {
		s = strings.TrimPrefix(s, "backupapi: ")
	}
	for strings.Contains(s, "backupapi: backupapi: ") {
		s = strings.ReplaceAll(s, "backupapi: backupapi: ", "backupapi: ")
	}
	return oneLine(cliHints(s))
}

// goHints are the SDK's hints that name a Go option or expression, and
// what the command line says instead, tried in order.
var goHints = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`use WithAhsayV1\("[^"]*"\) or WithAhsayVersion`), "use --ahsay-version"},
	{regexp.MustCompile(`WithAhsayVersion`), "--ahsay-version"},
	{regexp.MustCompile(`use https or WithAllowHTTP\(\)`), "use https, or --allow-http"},
	{regexp.MustCompile(`WithAllowHTTP\(\)`), "--allow-http"},
	{regexp.MustCompile(`use WithRootCAs for a private CA`), "use --ca-file for a private CA"},
	{regexp.MustCompile(`WithRootCAs`), "--ca-file"},
	{regexp.MustCompile(`\(WithTimeout\)`), "(--timeout)"},
	{regexp.MustCompile(`WithTimeout`), "--timeout"},
	{regexp.MustCompile(` \(WithMaxResponseBytes\)`), ""},
	{regexp.MustCompile(`(\d+) \* backupapi\.(KiB|MiB|GiB|TiB)`), "${1}${2}"},
}

func cliHints(s string) string {
	for _, h := range goHints {
		s = h.re.ReplaceAllString(s, h.with)
	}
	return s
}

// checkURL finds the URL mistakes the command line can name better than
// the SDK: a URL without a scheme.
func checkURL(flag, raw string) error {
	if raw == "" || strings.Contains(raw, "://") {
		return nil
	}
	host := raw
	if at := strings.LastIndex(host, "@"); at >= 0 { // never show user info
		host = host[at+1:]
	}
	return usagef("%s %q: missing scheme: did you mean https://%s?", flag, host, host)
}

// configError is a mistake in the connection settings, found before any
// request (a bad URL, a --ca-file or password file that is missing or
// wrong): a usage error, exit 2.
func configError(err error) error {
	var u usageError
	if err == nil || errors.As(err, &u) {
		return err
	}
	return usageError{err}
}
