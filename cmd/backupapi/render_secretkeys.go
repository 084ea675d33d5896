package main

import (
	"reflect"
	"strings"
	"sync"

	"github.com/backupapi/backupapi"
)

// sdkSecretKeys are the JSON names, lower-cased, of every Secret-typed
// field of the records the SDK's clients return (License's Key,
// SystemUser's HashedPwd, UserDetail's AccessToken...), found from the
// clients' methods themselves: raw JSON (a "do" answer, a record's Extra)
// masks their values whatever the name, as the typed record does, so that
// a new Secret field of the SDK is masked in raw answers too.
var sdkSecretKeys = sync.OnceValue(func() map[string]bool {
	keys := map[string]bool{}
	seen := map[reflect.Type]bool{}
	for _, client := range []reflect.Type{reflect.TypeFor[*backupapi.AhsayClient](), reflect.TypeFor[*backupapi.XClarityClient]()} {
		for i := range client.NumMethod() {
			m := client.Method(i).Type
			for j := range m.NumOut() {
				collectSecretKeys(m.Out(j), keys, seen)
			}
		}
	}
	return keys
})

// collectSecretKeys adds to keys the JSON names of t's Secret-typed
// fields, through pointers, slices, maps, nested structs and the
// iterators (iter.Seq2) the streaming methods return.
func collectSecretKeys(t reflect.Type, keys map[string]bool, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		collectSecretKeys(t.Elem(), keys, seen)
	case reflect.Map:
		collectSecretKeys(t.Key(), keys, seen)
		collectSecretKeys(t.Elem(), keys, seen)
	case reflect.Func:
		for i := range t.NumIn() {
			collectSecretKeys(t.In(i), keys, seen)
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft == reflect.TypeFor[backupapi.Secret]() {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "" {
					name = f.Name
				}
				if name != "-" {
					keys[strings.ToLower(name)] = true
				}
				continue
			}
			collectSecretKeys(f.Type, keys, seen)
		}
	}
}

// isSDKSecretKey reports whether a raw JSON key names a Secret-typed field
// of the SDK's records (JSON keys match as encoding/json matches them,
// without regard to case).
func isSDKSecretKey(key string) bool { return sdkSecretKeys()[strings.ToLower(key)] }
