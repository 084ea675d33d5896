// Package redact removes secrets from text that may reach logs or errors.
package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Mask replaces every secret.
const Mask = "***"

// sensitiveValue finds the JSON string value of a key that holds a secret,
// including a value cut off by truncation (no closing quote).
var sensitiveValue = regexp.MustCompile(`(?i)("(?:SysPwd|Password|Passwd|Pwd|NewPassword|OldPassword|AccessToken|Token|SmtpAuthPwd|passphrase|csrf|X-Csrf-Token|JSESSIONID|Authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"?`)

// sensitiveNonString finds a secret key whose value is not a string.
var sensitiveNonString = regexp.MustCompile(`(?i)("(?:SysPwd|Password|passphrase)"\s*:\s*)([^"\s,}][^,}]*)`)

// Excerpt returns at most max bytes of body as one line, with the values of
// secret-holding JSON keys and every literal secret replaced by Mask.
func Excerpt(body []byte, max int, secrets ...string) string {
	s := string(body)
	// Redact before cutting, so that a secret that straddles the cut is gone.
	s = Text(s, secrets...)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// Text replaces secret-holding JSON values and every literal secret in s.
func Text(s string, secrets ...string) string {
	s = sensitiveValue.ReplaceAllString(s, `${1}"`+Mask+`"`)
	s = sensitiveNonString.ReplaceAllString(s, `${1}"`+Mask+`"`)
	for _, sec := range secrets {
		if len(sec) >= 3 { // a 1-2 character "secret" would mask half the text
			s = strings.ReplaceAll(s, sec, Mask)
		} else if sec != "" {
			s = strings.ReplaceAll(s, `"`+sec+`"`, `"`+Mask+`"`)
		}
	}
	return s
}
