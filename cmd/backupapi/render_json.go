package main

import (
	"bytes"
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/internal/redact"
)

// The JSON the command line writes is built from its records by type,
// not by field name, with a walk that follows encoding/json's field rules
// (tags, omitempty and omitzero, embedded structs, "-"):
//
//   - every backupapi.Secret becomes "***" ("" when empty), wherever it
//     sits: in a field, behind a pointer, in a slice, an array or a map;
//   - every time (time.Time, backupapi.Timestamp) is RFC 3339 text, or
//     null for never (the zero time); a Timestamp the SDK could not read
//     is its raw text, as the server sent it;
//   - every size (backupapi.Bytes, backupapi.GB) is a plain count of bytes;
//   - a raw JSON value the SDK kept (json.RawMessage, Extra fields) has the
//     values of its secret-named keys masked, since it has no types;
//   - a NaN or infinite number is null, so that a record always encodes.

var (
	secretType    = reflect.TypeFor[backupapi.Secret]()
	timestampType = reflect.TypeFor[backupapi.Timestamp]()
	timeType      = reflect.TypeFor[time.Time]()
	bytesType     = reflect.TypeFor[backupapi.Bytes]()
	gbType        = reflect.TypeFor[backupapi.GB]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// secretMask is what a Secret shows as.
func secretMask(s backupapi.Secret) string {
	if s == "" {
		return ""
	}
	return "***"
}

// jsonValue returns v as a value that encoding/json writes as the
// command line's JSON of v (see above).
func jsonValue(v any) any { return jsonOf(reflect.ValueOf(v)) }

func jsonOf(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Type() {
	case secretType:
		return secretMask(backupapi.Secret(v.String()))
	case timestampType:
		ts := v.Interface().(backupapi.Timestamp)
		if ts.IsZero() && ts.Raw() != "" {
			return ts.Raw() // a time in no known format: as the server sent it
		}
		return jsonTime(ts.Time)
	case timeType:
		return jsonTime(v.Interface().(time.Time))
	case bytesType:
		return v.Int()
	case gbType:
		return int64(v.Interface().(backupapi.GB).Bytes())
	case rawType:
		return maskRawJSON(v.Bytes())
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return jsonOf(v.Elem())
	case reflect.Struct:
		if t := v.Type(); t.Implements(marshalerType) && !holdsSpecial(t) {
			return marshaled(v)
		}
		return jsonObject(v)
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		m := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			m[mapKey(it.Key())] = jsonOf(it.Value())
		}
		return m
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 && !v.Type().Elem().Implements(marshalerType) {
			return v.Bytes() // encoding/json's base64
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = jsonOf(v.Index(i))
		}
		return out
	case reflect.String:
		if v.Type().Implements(marshalerType) {
			return marshaled(v)
		}
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	}
	return nil // functions, channels, NaN: nothing encoding/json could write
}

func jsonTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339Nano)
}

// marshaled is the JSON of a value with its own MarshalJSON that holds
// no secret, time or size (a backupapi.Int64, a custom enum...).
func marshaled(v reflect.Value) any {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil
	}
	return json.RawMessage(b)
}

func mapKey(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if t, ok := k.Interface().(encoding.TextMarshaler); ok {
		b, _ := t.MarshalText()
		return string(b)
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10)
	}
	return ""
}

// holdsSpecial reports whether a type holds, anywhere inside, a value the
// walk must see itself: a Secret, a time, a size or raw JSON. A struct
// with its own MarshalJSON that holds one is walked field by field.
func holdsSpecial(t reflect.Type) bool {
	if v, ok := specialCache.Load(t); ok {
		return v.(bool)
	}
	specialCache.Store(t, false) // a type that refers to itself
	found := holdsSpecialWalk(t)
	specialCache.Store(t, found)
	return found
}

var specialCache sync.Map // reflect.Type -> bool

func holdsSpecialWalk(t reflect.Type) bool {
	switch t {
	case secretType, timestampType, timeType, bytesType, gbType, rawType:
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsSpecial(t.Elem())
	case reflect.Map:
		return holdsSpecial(t.Key()) || holdsSpecial(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsSpecial(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// object is a JSON object whose keys keep their order.
type object []member

type member struct {
	key   string
	value any
}

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func jsonObject(v reflect.Value) object {
	fields := jsonFields(v.Type())
	o := make(object, 0, len(fields))
	for _, f := range fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv) {
			continue
		}
		val := jsonOf(fv)
		if f.quoted {
			if s, ok := quotedScalar(val); ok {
				val = s
			}
		}
		o = append(o, member{f.name, val})
	}
	return o
}

// writeJSON writes v as the command line's JSON: indented unless lines,
// with DEL, C1 controls and bidirectional overrides escaped too (encoding/json
// escapes only C0), so that no JSON output moves a terminal's cursor.
func writeJSON(w interface{ Write([]byte) (int, error) }, v any, indent bool) error {
	var b []byte
	var err error
	if indent {
		b, err = json.MarshalIndent(jsonValue(v), "", "  ")
	} else {
		b, err = json.Marshal(jsonValue(v))
	}
	if err != nil {
		return err
	}
	b = append(escapeJSONControls(b), '\n')
	_, err = w.Write(b)
	return err
}

// escapeJSONControls rewrites DEL, the C1 controls and the bidirectional
// controls of encoded JSON as \u escapes: they can only be inside strings,
// where the escape means the same character.
func escapeJSONControls(b []byte) []byte {
	if !needsEscape(string(b)) {
		return b
	}
	var out bytes.Buffer
	s := string(b)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0x7f || r >= 0x80 && r <= 0x9f || isBidiControl(r) {
			out.WriteString(`\u` + hex4(r))
		} else {
			out.WriteString(s[i : i+size])
		}
		i += size
	}
	return out.Bytes()
}

func hex4(r rune) string {
	h := strconv.FormatInt(int64(r), 16)
	return strings.Repeat("0", 4-len(h)) + h
}

// maskRawJSON decodes raw JSON the SDK kept without a type and masks the
// values of its secret-named keys — those the SDK's own redaction knows
// (Password, Token...) and the names of the SDK's Secret-typed fields
// (Key, HashedPwd: sdkSecretKeys) — wherever they occur in it, and those
// values wherever else they appear.
func maskRawJSON(raw []byte) any {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil
	}
	secrets := redact.JSONSecrets(raw)
	var collect func(any)
	collect = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				collect(e)
			}
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && s != "" && isSDKSecretKey(k) {
					secrets = append(secrets, s)
				}
				collect(e)
			}
		}
	}
	collect(tree)
	var mask func(any) any
	mask = func(v any) any {
		switch x := v.(type) {
		case string:
			if len(secrets) == 0 {
				return x
			}
			return redact.Text(x, secrets...)
		case []any:
			for i := range x {
				x[i] = mask(x[i])
			}
		case map[string]any:
			for k := range x {
				if isSDKSecretKey(k) && x[k] != nil {
					if s, ok := x[k].(string); !ok || s != "" {
						x[k] = secretMask("*")
						continue
					}
				}
				x[k] = mask(x[k])
			}
		}
		return v
	}
	return mask(tree)
}
