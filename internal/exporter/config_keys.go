package exporter

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// configPlaces names, for a config error, where in the file each of the
// config's types stands.
var configPlaces = map[reflect.Type]string{
	reflect.TypeFor[Config]():    "the top level",
	reflect.TypeFor[Web]():       "web",
	reflect.TypeFor[Target]():    "a target",
	reflect.TypeFor[Freshness](): "a target's freshness",
	reflect.TypeFor[Override]():  "a freshness override",
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type exporter\.(\w+)`)

// readableConfigError rewrites the YAML decoder's "field x not found in
// type exporter.Target" (a Go type the user never wrote) as the key and
// the place it is unknown in, with the keys that place knows.
func readableConfigError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	lines := make([]string, len(te.Errors))
	for i, msg := range te.Errors {
		lines[i] = unknownField.ReplaceAllStringFunc(msg, func(m string) string {
			sub := unknownField.FindStringSubmatch(m)
			for t, place := range configPlaces {
				if t.Name() == sub[2] {
					return fmt.Sprintf("unknown key %q in %s (known: %s)", sub[1], place, strings.Join(keysOf(t), ", "))
				}
			}
			return m
		})
	}
	return errors.New(strings.Join(lines, "; "))
}

// keysOf are the keys a config type reads, sorted.
func keysOf(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		if k, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
