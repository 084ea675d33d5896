package main

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// escapeControls makes text safe for a terminal: every control character
// — C0 (newline, tab and carriage return included, so that a cell cannot
// forge a row or a column), DEL, C1 (the 8-bit CSI and OSC too) — every
// byte that is not UTF-8, and the bidirectional overrides that reorder
// what is shown, become visible escapes (\n, \t, \r, \x1b, \u202e). ESC
// sequences are thus shown, never run. Everything else is unchanged.
func escapeControls(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x` + hex2(s[i]))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
			b.WriteString(`\x` + hex2(byte(r)))
		case isBidiControl(r):
			b.WriteString(`\u` + strconv.FormatInt(int64(r), 16))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether escapeControls would change s.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return true
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r <= 0x9f || isBidiControl(r) {
			return true
		}
		i += size
	}
	return false
}

// isBidiControl reports the Unicode bidirectional embeddings, overrides
// and isolates (U+202A–U+202E, U+2066–U+2069) and the marks U+200E, U+200F,
// U+061C: invisible characters that reorder the text around them.
func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// oneLine joins a multi-line text into one line, its runs of white space
// (newlines included) made one space, and escapes what is left: an error
// or a warning is always one line.
func oneLine(s string) string { return escapeControls(strings.Join(strings.Fields(s), " ")) }

// csvCell guards a CSV cell against spreadsheet formulas (OWASP's CSV
// injection rule): a cell that begins with =, +, -, @, a tab or a carriage
// return is prefixed with a single quote, so that a spreadsheet shows it
// as text. Control characters are escaped first, as in a table.
func csvCell(s string) string {
	s = escapeControls(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
