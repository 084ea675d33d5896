package backupapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
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
