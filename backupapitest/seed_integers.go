package backupapitest

import (
	"encoding/json"
	"strconv"
	"strings"
)

// integerText returns the plain decimal form of a JSON number that is an
// integer in int64's range, however it is written: JSON Schema counts 1.0
// as an integer, and a harness in Python writes a computed size as
// 5505024.0 (or 5.505024e6). It does the arithmetic on the digits, so that
// an exponent of any size costs nothing (math/big would compute 1e999999).
func integerText(n string) (string, bool) {
	if _, err := strconv.ParseInt(n, 10, 64); err == nil {
		return n, true
	}
	mantissa, exp := n, 0
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		e, err := strconv.Atoi(n[i+1:])
		if err != nil {
			return "", false
		}
		mantissa, exp = n[:i], e
	}
	neg := strings.HasPrefix(mantissa, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(mantissa, "-"), ".")
	digits := whole + frac
	exp -= len(frac)
	for exp < 0 && strings.HasSuffix(digits, "0") {
		digits, exp = digits[:len(digits)-1], exp+1
	}
	digits = strings.TrimLeft(digits, "0")
	switch {
	case digits == "":
		return "0", true
	case exp < 0 || len(digits)+exp > 19:
		return "", false
	}
	text := digits + strings.Repeat("0", exp)
	if neg {
		text = "-" + text
	}
	if _, err := strconv.ParseInt(text, 10, 64); err != nil {
		return "", false
	}
	return text, true
}

// plainIntegers rewrites, in a document decoded with UseNumber, every
// integer written with a fraction or an exponent in plain decimal, which
// encoding/json can decode into an int64; it reports whether it changed
// any. (The seed schema has integers only: no number may be a fraction.)
func plainIntegers(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			changed = plainInteger(&e) || changed
			v[k] = e
		}
	case []any:
		for i := range v {
			changed = plainInteger(&v[i]) || changed
		}
	}
	return changed
}

// plainInteger is plainIntegers for one value of an object or an array:
// a number is rewritten in place, anything else has its own integers
// rewritten; it reports whether it changed any.
func plainInteger(e *any) bool {
	n, ok := (*e).(json.Number)
	if !ok {
		return plainIntegers(*e)
	}
	if text, ok := integerText(n.String()); ok && text != n.String() {
		*e = json.Number(text)
		return true
	}
	return false
}
