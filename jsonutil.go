package backupapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Shared JSON helpers for answers whose shapes vary.

// oneOrMany decodes a JSON object as one element, or an array as many
// (null as none).
type oneOrMany[T any] []T

func (m *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*m = nil
		return nil
	case b[0] == '[':
		var many []T
		err := json.Unmarshal(b, &many)
		*m = many
		return err
	default:
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*m = []T{one}
		return nil
	}
}

// isScalar reports whether v is a JSON string, number, boolean or null.
func isScalar(v json.RawMessage) bool {
	s := strings.TrimSpace(string(v))
	return s != "" && s[0] != '{' && s[0] != '['
}

// flexString decodes a JSON string, or a number or boolean as its text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	*s = flexString(rawText(b))
	return nil
}

// rawText returns a JSON string's value, or any other JSON value's text
// (null as "").
func rawText(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		if s, err := strconv.Unquote(string(b)); err == nil {
			return s
		}
		var s string
		if json.Unmarshal(b, &s) == nil {
			return s
		}
	}
	if string(b) == "null" {
		return ""
	}
	return string(b)
}

// parseTime decodes a JSON time (see Timestamp) into out, reporting
// whether it was one (null and "" are: the zero time).
func parseTime(v json.RawMessage, out *time.Time) bool {
	var ts Timestamp
	if ts.UnmarshalJSON(v) != nil {
		return false
	}
	text := rawText(v)
	if ts.IsZero() && text != "" && text != "-1" && text != "0" {
		return false // in no known format: the caller keeps it
	}
	*out = ts.Time
	return true
}

// knownKeys caches, per struct type, the lower-cased JSON names of its
// fields (encoding/json matches keys case-insensitively, so "UserID" fills
// a field tagged "UserId": the SDK's answer types absorb both spellings).
var knownKeys sync.Map // reflect.Type -> map[string]bool

func keysOf(t reflect.Type) map[string]bool {
	if m, ok := knownKeys.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			for k := range keysOf(f.Type) {
				m[k] = true
			}
		case name != "":
			m[strings.ToLower(name)] = true
		default:
			m[strings.ToLower(f.Name)] = true
		}
	}
	knownKeys.Store(t, m)
	return m
}

// decodeKeepingExtra decodes data into v (a pointer to a struct whose type
// has no UnmarshalJSON of its own) and stores in *extra every key v's
// fields do not name, and every known key whose value does not fit its
// field ("5.25 M" where a number of bytes was expected), so that decoding
// never fails on one odd field and nothing sent is lost.
func decodeKeepingExtra(data []byte, v any, extra *map[string]json.RawMessage) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	whole := json.Unmarshal(data, v) == nil
	known := keysOf(reflect.TypeOf(v).Elem())
	keep := func(k string, raw json.RawMessage) {
		if *extra == nil {
			*extra = map[string]json.RawMessage{}
		}
		(*extra)[k] = raw
	}
	for k, raw := range all {
		switch {
		case !known[strings.ToLower(k)]:
			keep(k, raw)
		case whole:
		default: // one field at a time, to find those that do not fit
			one, _ := json.Marshal(map[string]json.RawMessage{k: raw})
			if json.Unmarshal(one, v) != nil {
				keep(k, raw)
			}
		}
	}
	return nil
}
