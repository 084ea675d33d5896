package backupapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Ptr returns a pointer to v. Update requests use pointer fields so that only
// what the caller set is sent:
//
//	req := &backupapi.UpdateUserRequest{UserRef: ref, Notes: backupapi.Ptr("VIP")}
func Ptr[T any](v T) *T { return &v }

// Int64 is an integer the servers send either as a JSON number or as a
// numeric string ("AvgDataRawSize":"5504624"). It decodes both, and "" or
// null as 0, and truncates a fractional value; it encodes as a JSON number.
// Convert with int64(v).
type Int64 int64

// UnmarshalJSON accepts 12, 12.0, "12", "" and null.
func (n *Int64) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return fmt.Errorf("backupapi: bad numeric string %s", truncate(b))
		}
		b = []byte(s)
	}
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	v, err := parseInt(b)
	if err != nil {
		return err
	}
	*n = Int64(v)
	return nil
}

// MarshalJSON writes the number.
func (n Int64) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(n), 10), nil
}

func parseInt(b []byte) (int64, error) {
	if v, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return v, nil
	}
	// A fractional value ("12.5" percent) is truncated toward zero.
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || !decimalText(string(b)) || math.IsNaN(f) || f >= math.MaxInt64 || f <= math.MinInt64 {
		return 0, fmt.Errorf("backupapi: %s is not an integer", truncate(b))
	}
	return int64(f), nil
}

// decimalText reports whether s is written as a decimal number: digits,
// signs, a point and an exponent only. (strconv.ParseFloat also reads hex
// floats, underscores between digits, Inf and NaN, which no server means.)
func decimalText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '+', c == '-', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return s != ""
}

// Bytes is a size in bytes: every size in the Go API is Bytes, whatever
// the server's unit (the one field AhsayCBS counts in gigabytes is typed
// GB). It decodes as tolerantly as Int64 and encodes as a JSON number.
// Write sizes with the unit constants: 50 * backupapi.GiB. A size up to
// MaxBytes (8 EiB less a byte) fits; Go's arithmetic wraps silently
// beyond it, so a size computed from input (a flag, a file) is built with
// BytesOf, which refuses what does not fit.
type Bytes int64

// Size units, powers of two.
const (
	KiB Bytes = 1 << 10
	MiB Bytes = 1 << 20
	GiB Bytes = 1 << 30
	TiB Bytes = 1 << 40
	PiB Bytes = 1 << 50
	EiB Bytes = 1 << 60
)

// MaxBytes is the largest size a Bytes holds.
const MaxBytes Bytes = math.MaxInt64

// BytesOf returns n units (KiB, GiB, ... or 1 for bytes) as Bytes, or an
// error when n is negative or the size exceeds MaxBytes, instead of the
// wrapped-around number n * unit would be.
func BytesOf(n int64, unit Bytes) (Bytes, error) {
	switch {
	case unit <= 0:
		return 0, fmt.Errorf("backupapi: the unit %d is not a positive size", int64(unit))
	case n < 0:
		return 0, fmt.Errorf("backupapi: the size %d %s is negative", n, unitName(unit))
	case n > int64(MaxBytes/unit):
		return 0, fmt.Errorf("backupapi: the size %d %s is larger than the largest size, 8 EiB", n, unitName(unit))
	}
	return Bytes(n) * unit, nil
}

// unitName names a unit for a message: "GiB", or "x 3000 B".
func unitName(unit Bytes) string {
	if s := unit.String(); len(s) > 2 && s[:2] == "1 " {
		return s[2:]
	}
	return "x " + unit.String()
}

// UnmarshalJSON accepts what Int64 accepts.
func (b *Bytes) UnmarshalJSON(data []byte) error { return (*Int64)(b).UnmarshalJSON(data) }

// MarshalJSON writes the number of bytes.
func (b Bytes) MarshalJSON() ([]byte, error) { return Int64(b).MarshalJSON() }

// String prints the size with the largest unit that divides it, or in
// bytes: "50 GiB", "1536 KiB", "12 B".
func (b Bytes) String() string {
	for _, u := range []struct {
		size Bytes
		name string
	}{{EiB, "EiB"}, {PiB, "PiB"}, {TiB, "TiB"}, {GiB, "GiB"}, {MiB, "MiB"}, {KiB, "KiB"}} {
		if b != 0 && b%u.size == 0 {
			return strconv.FormatInt(int64(b/u.size), 10) + " " + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10) + " B"
}

// GB is a size in gigabytes (2^30 bytes), the unit in which AhsayCBS
// counts a user's total StorageQuota. Its name says so, so that a number
// of bytes is not sent where gigabytes are meant; Bytes converts it.
type GB int64

// MaxGB is the largest GB whose Bytes fit in Bytes (8 EiB less 1 GiB).
const MaxGB = GB(MaxBytes / GiB)

// Bytes returns the size in bytes. A size beyond MaxGB saturates at
// MaxBytes (a negative one beyond -MaxGB at -MaxBytes) rather than wrap
// around; use BytesOf(int64(g), GiB) to refuse it instead.
func (g GB) Bytes() Bytes {
	switch {
	case g > MaxGB:
		return MaxBytes
	case g < -MaxGB:
		return -MaxBytes
	}
	return Bytes(g) * GiB
}

// UnmarshalJSON accepts what Int64 accepts.
func (g *GB) UnmarshalJSON(data []byte) error { return (*Int64)(g).UnmarshalJSON(data) }

// MarshalJSON writes the number of gigabytes.
func (g GB) MarshalJSON() ([]byte, error) { return Int64(g).MarshalJSON() }

// Bool is a boolean the servers send as true/false or as a string
// ("true", "Y", "N", ""); any other string is true when non-empty (the
// ListUsers example sends LdapUser, documented as a login name, as false).
type Bool bool

// UnmarshalJSON accepts true, false, null, and strings.
func (v *Bool) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch string(b) {
	case "true":
		*v = true
		return nil
	case "false", "null", `""`:
		*v = false
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return fmt.Errorf("backupapi: bad boolean string %s", truncate(b))
		}
		switch s {
		case "false", "False", "FALSE", "N", "n", "no", "0":
			*v = false
		default:
			*v = true
		}
		return nil
	}
	if n, err := parseInt(b); err == nil {
		*v = n != 0
		return nil
	}
	return fmt.Errorf("backupapi: %s is not a boolean", truncate(b))
}

// Timestamp is a point in time as the servers send it, in one of several
// formats; it embeds time.Time. It decodes:
//
//   - milliseconds since the Unix epoch, as a number or a numeric string
//     (AhsayCBS: RegistrationDate, LastBackupDate, rebuild StartTime...);
//     -1 and 0 mean "never" and decode to the zero time, and other
//     negative numbers are times before the epoch;
//   - RFC 3339 / ISO 8601 text (XClarity: backupDate, startTime, endTime);
//   - "yyyy-MM-dd HH:mm:ss" (AhsayCBS job reports and modes) and
//     "yyyy-MM-dd-HH-mm-ss" (restore job status, job IDs);
//   - "MM/dd/yyyy HH:mm:ss" (AhsayCBS live jobs: LastUpdateTime);
//   - "yyyy-MM-dd" (AhsayCBS storage statistics: Date);
//   - "yyyyMMdd" (AhsayCBS: SuspendPaidUserDate; "19700101" means never).
//
// Text without a zone is in the server's time zone, which the answer does
// not give: it is read as UTC. Empty text and null decode to the zero
// time. Text in no known format, and a time outside the years 0 to 9999,
// decode to the zero time too (IsZero reports true), but nothing sent is
// lost: Raw returns the text as sent, and MarshalJSON writes it back.
type Timestamp struct {
	time.Time
	raw string // the text sent, when it is in no known format
}

// Raw returns the value as the server sent it when it could not be read
// as a time (a format the SDK does not know), and "" otherwise.
func (t Timestamp) Raw() string { return t.raw }

// timestampLayouts are the text formats Timestamp reads, tried in order.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02-15-04-05", "01/02/2006 15:04:05", "2006-01-02", "20060102"}

// UnmarshalJSON accepts milliseconds as a number or string, the text
// formats above, and null.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	*t = Timestamp{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		text, err := strconv.Unquote(string(b))
		if err != nil {
			var s string
			if json.Unmarshal(b, &s) != nil { // not even a JSON string
				return fmt.Errorf("backupapi: bad time string %s", truncate(b))
			}
			text = s
		}
		if !isMillisText(text) { // a date as text, not milliseconds
			if strings.TrimSpace(text) == "" {
				return nil
			}
			for _, layout := range timestampLayouts {
				if v, err := time.Parse(layout, text); err == nil {
					if !v.Equal(time.Unix(0, 0)) { // "19700101": never
						t.setTime(v.UTC(), text)
					}
					return nil
				}
			}
			t.raw = text
			return nil
		}
	}
	var ms Int64
	if err := ms.UnmarshalJSON(b); err != nil {
		return err
	}
	if ms != 0 && ms != -1 { // 0 and -1: never
		t.setTime(time.UnixMilli(int64(ms)).UTC(), rawText(b))
	}
	return nil
}

// isMillisText reports whether a time sent as text is a number of
// milliseconds ("1686640128382", "-1"), not a date: eight digits unsigned
// are yyyyMMdd.
func isMillisText(s string) bool {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return isDigits(rest)
	}
	return len(s) != 8 && isDigits(s)
}

// setTime keeps v, or, beyond the years 0 to 9999 that RFC 3339 (and
// time.Time's JSON) can write, the text it was read from.
func (t *Timestamp) setTime(v time.Time, text string) {
	if y := v.Year(); y < 0 || y > 9999 {
		t.raw = text
		return
	}
	t.Time = v
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// MarshalJSON writes milliseconds since the epoch, -1 for the zero time,
// RFC 3339 text for a time milliseconds cannot carry (before the epoch,
// where they read as "never", or finer than a millisecond), and the text as sent (a JSON string) for a
// value that could not be read (Raw), so that decoding and encoding lose
// nothing.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	switch {
	case t.IsZero() && t.raw != "":
		return json.Marshal(t.raw)
	case t.IsZero():
		return []byte("-1"), nil
	case t.UnixMilli() <= 0 || t.Nanosecond()%int(time.Millisecond) != 0:
		return json.Marshal(t.UTC().Format(time.RFC3339Nano))
	}
	return strconv.AppendInt(nil, t.UnixMilli(), 10), nil
}

func truncate(b []byte) string {
	const max = 40
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

// Secret is a string that must not be shown: a password, a token, a hashed
// password, a licence key. It is sent and decoded like a string, but prints
// as "***" with every fmt verb, so a request or a response printed with %v,
// %+v or %#v never shows it, and it encodes as "***" in JSON too (an empty
// Secret as ""), so json.Marshal of a record — a UserDetail, a License, a
// SystemUser — gives its JSON without its secrets: that is how a program
// gets one. Read the value with string(s).
//
// The SDK's own requests still send the value: AddUserRequest,
// UpdateUserRequest and AuthUserRequest have a wire form of their own, and
// the XClarity requests send their Passphrase as a plain string. A struct
// of your own passed to AhsayClient.Do or XClarityClient.Do is encoded
// with json.Marshal, so a Secret in it is sent as the mask: put
// string(secret) in a string field there.
type Secret string

// String returns the mask.
func (s Secret) String() string { return secret(s).String() }

// GoString returns the mask.
func (s Secret) GoString() string { return secret(s).GoString() }

// Format prints the mask for every verb.
func (s Secret) Format(f fmt.State, verb rune) { secret(s).Format(f, verb) }

// MarshalJSON writes the mask "***", or "" for an empty Secret, never the
// value: see Secret for how the SDK's requests send it.
func (s Secret) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte(`""`), nil
	}
	return []byte(`"***"`), nil
}
