// Package redact removes secrets from text that may reach logs or errors.
package redact

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Mask replaces every secret.
const Mask = "***"

// secretKeys are the names of the JSON keys and headers whose values are
// secrets, as a regular expression alternation (matched case-insensitively).
const secretKeys = `SysPwd|Password|Passwd|Pwd|NewPassword|OldPassword|AccessToken|Token|SmtpAuthPwd|passphrase|csrf|X-Csrf-Token|JSESSIONID|Authorization|Secret`

// sensitiveValue finds the JSON string value of a key that holds a secret,
// including a value cut off by truncation (no closing quote).
var sensitiveValue = regexp.MustCompile(`(?i)("(?:` + secretKeys + `)"\s*:\s*)"(?:[^"\\]|\\.)*"?`)

// sensitiveNonString finds a secret key whose value is not a string.
var sensitiveNonString = regexp.MustCompile(`(?i)("(?:SysPwd|Password|passphrase)"\s*:\s*)([^"\s,}][^,}]*)`)

// htmlEscapedValue is sensitiveValue in JSON that a proxy page shows
// HTML-escaped: &quot;Password&quot;:&quot;...&quot; (or &#34;).
var htmlEscapedValue = regexp.MustCompile(`(?i)((?:&quot;|&#34;|&#x22;)(?:` + secretKeys + `)(?:&quot;|&#34;|&#x22;)\s*:\s*(?:&quot;|&#34;|&#x22;)).*?((?:&quot;|&#34;|&#x22;)|$)`)

// echoedHeader finds an echoed request header that carries a credential:
// Cookie, X-Csrf-Token, Authorization (its whole value, scheme included).
var echoedHeader = regexp.MustCompile(`(?i)((?:^|[\s>"'{,])(?:Cookie|X-Csrf-Token|Authorization|Proxy-Authorization)\s*[:=]\s*)[^\r\n<"']*`)

// cookiePair finds a session cookie as name=value anywhere (a Set-Cookie
// or a Cookie header quoted in a page).
var cookiePair = regexp.MustCompile(`(?i)((?:JSESSIONID|csrf|SESSION)=)[^;\s<&"',]*`)

// Excerpt returns at most max bytes of body as one line, with the values of
// secret-holding JSON keys and headers and every literal secret replaced by
// Mask.
func Excerpt(body []byte, max int, secrets ...string) string {
	s := string(body)
	// Redact before cutting, so that a secret that straddles the cut is gone.
	// body itself may be the first bytes of a longer answer, cut inside a
	// secret: a secret's beginning at its very end is masked too.
	s = Text(cutSecret(s, secrets), secrets...)
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

// Text replaces secret-holding JSON values (plain or HTML-escaped), echoed
// credential headers and session cookies, and every literal secret in s,
// in the forms a server or proxy may echo it: as sent, JSON-escaped,
// HTML-escaped and URL-encoded.
func Text(s string, secrets ...string) string {
	s = Literals(s, secrets...)
	s = sensitiveValue.ReplaceAllString(s, `${1}"`+Mask+`"`)
	s = sensitiveNonString.ReplaceAllString(s, `${1}"`+Mask+`"`)
	s = htmlEscapedValue.ReplaceAllString(s, `${1}`+Mask+`${2}`)
	s = echoedHeader.ReplaceAllString(s, `${1}`+Mask)
	s = cookiePair.ReplaceAllString(s, `${1}`+Mask)
	return s
}

// Literals replaces every literal secret in s, in each form Variants
// gives. Where occurrences overlap (a password that contains the system
// password, "system1-Summer2026" and "system1"), their union is masked as
// one, so no part of the longer secret is left. A secret of one or two
// characters would mask half the text: it is replaced only where it stands
// quoted. The cost is linear in s and the secrets: a secret longer than s
// (whose every form is at least as long) is not searched for, and the
// overlapping occurrences of a periodic secret are found in one pass and
// kept as one run.
func Literals(s string, secrets ...string) string {
	var spans []span
	for _, sec := range secrets {
		if sec == "" || len(sec) > len(s) {
			continue
		}
		for _, v := range Variants(sec) {
			if len(v) >= 3 {
				spans = occurrences(spans, s, v, 0)
			} else {
				spans = occurrences(spans, s, `"`+v+`"`, 1)
			}
		}
	}
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(b.to, a.to)) })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		from, to := spans[i].from, spans[i].to
		for i++; i < len(spans) && spans[i].from < to; i++ {
			to = max(to, spans[i].to)
		}
		b.WriteString(s[last:from])
		b.WriteString(Mask)
		last = to
	}
	b.WriteString(s[last:])
	return b.String()
}

// cutSecret masks the end of s where it is the beginning (3 bytes or more)
// of a secret in any of its forms: what is left of a secret when s was cut
// inside it.
func cutSecret(s string, secrets []string) string {
	cut := len(s)
	for _, sec := range secrets {
		// Only the secret's first bytes can end s: the forms of a prefix
		// (at a rune boundary, with room for base64's groups) begin as the
		// forms of the whole do, and cost in proportion to s, not to a
		// secret of any size.
		if k := len(s) + 8; len(sec) > k {
			for k > 0 && !utf8.RuneStart(sec[k]) {
				k--
			}
			sec = sec[:k]
		}
		for _, v := range Variants(sec) {
			for n := min(len(v)-1, len(s)); n >= 3; n-- {
				if strings.HasSuffix(s, v[:n]) {
					cut = min(cut, len(s)-n)
					break
				}
			}
		}
	}
	if cut == len(s) {
		return s
	}
	return s[:cut] + Mask
}

// span is the byte range [from, to) of one occurrence of a secret.
type span struct{ from, to int }

// occurrences appends every occurrence of pattern in s, overlapping ones
// included, less trim bytes at each end (the quotes around a short secret).
// From the first occurrence on it scans s once (Knuth-Morris-Pratt), so
// that a pattern that overlaps itself ("aaaa" in "aaaaaaaa") costs time
// linear in s, and it merges each occurrence into the run it overlaps, so
// that the spans cost memory in proportion to the separate runs.
func occurrences(spans []span, s, pattern string, trim int) []span {
	first := strings.Index(s, pattern)
	if first < 0 {
		return spans
	}
	m := len(pattern)
	fail := prefixTable(pattern)
	k := 0 // bytes of pattern matched so far
	for i := first; i < len(s); i++ {
		for k > 0 && s[i] != pattern[k] {
			k = int(fail[k-1])
		}
		if s[i] == pattern[k] {
			k++
		}
		if k == m {
			spans = addSpan(spans, span{i + 1 - m + trim, i + 1 - trim})
			k = int(fail[m-1])
		}
	}
	return spans
}

// prefixTable returns, for each prefix of p, the length of its longest
// proper prefix that is also its suffix (Knuth-Morris-Pratt's table).
func prefixTable(p string) []int32 {
	fail := make([]int32, len(p))
	k := 0
	for i := 1; i < len(p); i++ {
		for k > 0 && p[i] != p[k] {
			k = int(fail[k-1])
		}
		if p[i] == p[k] {
			k++
		}
		fail[i] = int32(k)
	}
	return fail
}

// addSpan appends sp, or widens the last span when sp starts inside it.
func addSpan(spans []span, sp span) []span {
	if n := len(spans); n > 0 && sp.from >= spans[n-1].from && sp.from < spans[n-1].to {
		spans[n-1].to = max(spans[n-1].to, sp.to)
		return spans
	}
	return append(spans, sp)
}

// Contains reports whether s holds any of the secrets in any of their forms.
func Contains(s string, secrets ...string) bool {
	for _, sec := range secrets {
		if len(sec) < 3 || len(sec) > len(s) {
			continue
		}
		for _, v := range Variants(sec) {
			if strings.Contains(s, v) {
				return true
			}
		}
	}
	return false
}

// Variants returns the forms in which a secret may be echoed: as is,
// JSON-escaped the ways encoders do (Go's, which escapes < > & too; one
// that does not, as Java's; with a solidus as \/; with non-ASCII as
// \uXXXX in either case), HTML-escaped (of the plain and the JSON forms),
// URL-encoded (in a query and in a path) and base64-encoded.
func Variants(secret string) []string {
	out := []string{secret}
	add := func(v string) {
		for _, have := range out {
			if have == v {
				return
			}
		}
		out = append(out, v)
	}
	jsonEscaped := jsonString(secret, true)
	add(jsonEscaped)
	add(html.EscapeString(secret))
	add(html.EscapeString(jsonEscaped))
	plain := jsonString(secret, false)
	add(plain)
	add(strings.ReplaceAll(plain, "/", `\/`))
	add(asciiJSON(plain, "\\u%04x"))
	add(asciiJSON(plain, "\\u%04X"))
	add(url.QueryEscape(secret))
	add(url.PathEscape(secret))
	add(base64.StdEncoding.EncodeToString([]byte(secret)))
	return out
}

// jsonString returns s as the inside of a JSON string, with < > & escaped
// as Go escapes them or not.
func jsonString(s string, escapeHTML bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	if enc.Encode(s) != nil {
		return s
	}
	v := strings.TrimSuffix(b.String(), "\n")
	if len(v) < 2 {
		return s
	}
	return v[1 : len(v)-1]
}

// asciiJSON returns the inside of a JSON string with every non-ASCII rune
// escaped in format (\u%04x or \u%04X), as surrogate pairs beyond the
// Basic Multilingual Plane.
func asciiJSON(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, format+format, hi, lo)
		default:
			fmt.Fprintf(&b, format, r)
		}
	}
	return b.String()
}

// keyIsSecret reports whether a JSON key holds a secret.
var keyIsSecret = regexp.MustCompile(`(?i)^(?:` + secretKeys + `)$`)

// IsSecretKey reports whether a JSON key, a parameter or a header names a
// secret (SysPwd, Password, Token, passphrase, Authorization, ...).
func IsSecretKey(name string) bool { return keyIsSecret.MatchString(name) }

// JSONSecrets returns the values of the secret-holding keys anywhere in a
// JSON document (a request body): strings as they are, numbers as their
// text. It returns nil for anything that is not JSON.
func JSONSecrets(doc []byte) []string {
	if len(doc) == 0 {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	var out []string
	var walk func(v any, secret bool)
	walk = func(v any, secret bool) {
		switch t := v.(type) {
		case map[string]any:
			for k, child := range t {
				walk(child, keyIsSecret.MatchString(k))
			}
		case []any:
			for _, child := range t {
				walk(child, secret)
			}
		case string:
			if secret && t != "" {
				out = append(out, t)
			}
		case json.Number:
			if secret {
				out = append(out, t.String())
			}
		}
	}
	walk(v, false)
	return out
}
