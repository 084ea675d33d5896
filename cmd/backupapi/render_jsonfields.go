package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// The struct fields the command line's JSON writes, by encoding/json's
// rules, so that its JSON of a record has the names and the order a
// program that marshals the record itself would see.

// quotedScalar is the ",string" option: a scalar written as a JSON string.
func quotedScalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		b, _ := json.Marshal(x)
		return string(b), true
	case bool, int64, uint64, float64:
		b, _ := json.Marshal(x)
		return string(b), true
	}
	return "", false
}

// fieldByIndex follows an index path; false when it crosses a nil
// embedded pointer (encoding/json leaves such fields out).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func isZero(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v.IsZero()
}

// jsonField is one field a struct encodes.
type jsonField struct {
	name                        string
	index                       []int
	tagged, omitEmpty, omitZero bool
	quoted                      bool
}

var fieldCache sync.Map // reflect.Type -> []jsonField

// jsonFields returns the fields encoding/json writes for a struct type,
// in its order: exported fields and those promoted from embedded structs,
// the shallowest winning a name (a tagged one among equals), a tie
// leaving the name out.
func jsonFields(t reflect.Type) []jsonField {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]jsonField)
	}
	type candidate struct {
		jsonField
		depth int
	}
	var all []candidate
	var walk func(t reflect.Type, index []int, seen map[reflect.Type]bool)
	walk = func(t reflect.Type, index []int, seen map[reflect.Type]bool) {
		if seen[t] {
			return
		}
		seen[t] = true
		defer delete(seen, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			at := append(slices.Clone(index), i)
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if sf.Anonymous {
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
				if name == "" && ft.Kind() == reflect.Struct {
					walk(ft, at, seen)
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			f := jsonField{name: name, index: at, tagged: name != ""}
			if name == "" {
				f.name = sf.Name
			}
			for o := range strings.SplitSeq(opts, ",") {
				switch o {
				case "omitempty":
					f.omitEmpty = true
				case "omitzero":
					f.omitZero = true
				case "string":
					f.quoted = true
				}
			}
			all = append(all, candidate{f, len(at)})
		}
	}
	walk(t, nil, map[reflect.Type]bool{})
	byName := map[string][]candidate{}
	for _, c := range all {
		byName[c.name] = append(byName[c.name], c)
	}
	var out []jsonField
	for _, c := range all {
		rivals := byName[c.name]
		minDepth := slices.MinFunc(rivals, func(a, b candidate) int { return a.depth - b.depth }).depth
		var best []candidate
		for _, r := range rivals {
			if r.depth == minDepth {
				best = append(best, r)
			}
		}
		if len(best) > 1 {
			var tagged []candidate
			for _, r := range best {
				if r.tagged {
					tagged = append(tagged, r)
				}
			}
			best = tagged
		}
		if len(best) == 1 && slices.Equal(best[0].index, c.index) {
			out = append(out, c.jsonField)
		}
	}
	fieldCache.Store(t, out)
	return out
}
