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

// unknownField is one of the decoder's messages for an unknown key, the
// whole message: the key may hold anything (spaces, newlines, the
// message's own words), and the type the decoder names is the last word.
var unknownField = regexp.MustCompile(`(?s)^(line \d+: )?field (.*) not found in type exporter\.(\w+)$`)

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
		lines[i] = msg
		sub := unknownField.FindStringSubmatch(msg)
		if sub == nil {
			continue
		}
		for t, place := range configPlaces {
			if t.Name() == sub[3] {
				lines[i] = fmt.Sprintf("%sunknown key %q in %s (known: %s)", sub[1], sub[2], place, strings.Join(keysOf(t), ", "))
			}
		}
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
