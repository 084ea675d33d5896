package exporter

import (
	"cmp"
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

// wrongShape is the decoder's message for a section given the wrong shape
// ("cannot unmarshal !!map into []exporter.Target"), the whole message.
var wrongShape = regexp.MustCompile("(?s)^(line \\d+: )?cannot unmarshal !!(\\w+)(?: `.*`)? into (\\[\\])?exporter\\.(\\w+)$")

// yamlKinds say the YAML tags of a wrong shape's value for people.
var yamlKinds = map[string]string{"map": "a mapping", "seq": "a list", "str": "a string", "int": "a number",
	"float": "a number", "bool": "true or false", "null": "nothing", "timestamp": "a date"}

// readableConfigError rewrites the YAML decoder's messages that name a Go
// type the user never wrote: "field x not found in type exporter.Target"
// as the key and the place it is unknown in, with the keys that place
// knows; "cannot unmarshal !!map into []exporter.Target" as the shape the
// place wants and the one found (without the value, which may be a
// secret's first characters).
func readableConfigError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	lines := make([]string, len(te.Errors))
	for i, msg := range te.Errors {
		lines[i] = msg
		if sub := unknownField.FindStringSubmatch(msg); sub != nil {
			if t, place, ok := configPlace(sub[3]); ok {
				lines[i] = fmt.Sprintf("%sunknown key %q in %s (known: %s)", sub[1], sub[2], place, strings.Join(keysOf(t), ", "))
			}
		} else if sub := wrongShape.FindStringSubmatch(msg); sub != nil {
			if _, place, ok := configPlace(sub[4]); ok {
				want := "a mapping (" + place + ")"
				if sub[3] != "" {
					want = "a list, each " + place
				}
				found := cmp.Or(yamlKinds[sub[2]], "!!"+sub[2])
				lines[i] = fmt.Sprintf("%swant %s; found %s", sub[1], want, found)
			}
		}
	}
	return errors.New(strings.Join(lines, "; "))
}

// configPlace is the config type the decoder names by its Go name, and
// its place.
func configPlace(name string) (reflect.Type, string, bool) {
	for t, place := range configPlaces {
		if t.Name() == name {
			return t, place, true
		}
	}
	return nil, "", false
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
