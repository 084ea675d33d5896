package exporter

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// yamlKeys returns the yaml keys of a config struct type and of the
// structs it holds (through pointers and slices).
func yamlKeys(t reflect.Type, into map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		into[name] = true
		yamlKeys(f.Type, into)
	}
}

// TestTheExampleConfigShowsEveryKey: examples/prometheus/exporter.yml is
// the exporter's only documentation of its config, so it shows every key
// the config takes, set or commented out.
func TestTheExampleConfigShowsEveryKey(t *testing.T) {
	b, err := os.ReadFile("../../examples/prometheus/exporter.yml")
	require.NoError(t, err)
	keys := map[string]bool{}
	yamlKeys(reflect.TypeFor[Config](), keys)
	require.Contains(t, keys, "keep_last_good", "the walk finds the targets' keys")
	for key := range keys {
		t.Run(key, func(t *testing.T) {
			assert.Regexp(t, regexp.MustCompile(`(?m)(^|[\s#-])`+regexp.QuoteMeta(key)+`:`), string(b),
				"exporter.yml shows %q", key)
		})
	}
}
