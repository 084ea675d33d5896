package exporter

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnUnknownConfigKeyIsNamedWithItsPlace(t *testing.T) {
	target := "targets:\n  - name: cbs\n    type: ahsay\n    url: https://cbs.example.com\n    user: system\n    password_env: X\n"
	for _, tc := range []struct {
		name, yaml, key, place string
	}{
		{"at the top level", "lisen: :9\n" + target, "lisen", "the top level"},
		{"in web", "web: {tls_cert: x}\n" + target, "tls_cert", "web"},
		{"in a target", target + "    pasword_env: Y\n", "pasword_env", "a target"},
		{"in a target's freshness", target + "    freshness: {warm: 1h}\n", "warm", "a target's freshness"},
		{"in an override", target + "    freshness: {overrides: [{user: bob}]}\n", "user", "a freshness override"},
		{"a key with spaces, as YAML allows unquoted", target + "    keep last good: 3h\n", "keep last good", "a target"},
		{"an empty key", target + "    '': 1\n", "", "a target"},
		{"a key that quotes the decoder's words is named whole, in its own place",
			target + "    \"a not found in type exporter.Web\": 1\n", "a not found in type exporter.Web", "a target"},
		{"a key with a newline is named whole, quoted", target + "    \"x\\nfield y not found in type exporter.Web\": 1\n",
			`x\nfield y not found in type exporter.Web`, "a target"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml))
			require.Error(t, err)
			msg := err.Error()
			assert.Contains(t, msg, `unknown key "`+tc.key+`" in `+tc.place+" (known: ")
			assert.NotContains(t, strings.ReplaceAll(msg, tc.key, ""), "exporter.", "no Go type name")
			assert.Equal(t, 1, strings.Count(msg, "unknown key"), "one key, one place: %s", msg)
		})
	}
}

// TestEveryConfigTypeHasAPlace: a struct the config file is decoded into
// has a place name for its errors (configPlaces), so a new one cannot
// bring back "not found in type exporter.X".
func TestEveryConfigTypeHasAPlace(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] || !strings.HasSuffix(rt.PkgPath(), "internal/exporter") {
			return
		}
		seen[rt] = true
		assert.Contains(t, configPlaces, rt, "%s has no place in configPlaces", rt.Name())
		for i := range rt.NumField() {
			f := rt.Field(i)
			if f.IsExported() && f.Tag.Get("yaml") != "-" {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeFor[Config]())
	assert.Len(t, seen, len(configPlaces))
}

// TestAValueOfTheWrongShapeIsNamedByItsPlace: a section given the wrong
// shape (a target without its dash, a list where a mapping belongs) is
// said as the shape wanted and the place, not as the Go type the decoder
// names ("cannot unmarshal !!map into []exporter.Target").
func TestAValueOfTheWrongShapeIsNamedByItsPlace(t *testing.T) {
	target := "targets:\n  - name: cbs\n    type: ahsay\n    url: https://cbs.example.com\n    user: system\n    password_env: X\n"
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"a target without its dash", "targets:\n  name: cbs\n", "line 2: want a list, each a target; found a mapping"},
		{"a number for the targets", "targets: 5\n", "line 1: want a list, each a target; found a number"},
		{"a list for a target's freshness", target + "    freshness: [1]\n", "line 7: want a mapping (a target's freshness); found a list"},
		{"a string for web", "web: tls\n" + target, "line 1: want a mapping (web); found a string"},
		{"a list for the whole file", "- 1\n", "line 1: want a mapping (the top level); found a list"},
		{"a mapping for the overrides", target + "    freshness: {overrides: {owner: x}}\n", "line 7: want a list, each a freshness override; found a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "exporter.", "no Go type name")
		})
	}
}
