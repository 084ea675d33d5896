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
