package exporter

import (
	"fmt"
	"reflect"
)

// panicText is a recovered panic's value as the log shows it, in a form
// the log's masking can read: a string, an error or a Stringer as its
// text, bytes as text, a number or a bool as it is. Any other value (a
// struct, a map, a slice) is named by its type only: Go's syntax for it
// prints its fields' values without their names, a secret among them
// unrecognisable.
func panicText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case error, fmt.Stringer:
		return fmt.Sprint(v) // fmt reports a method that panics itself
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("a value of type %T", v)
}
