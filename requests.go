package backupapi

import "reflect"

// isNilPointer reports whether v is a typed nil pointer (a nil *Request).
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// nilRequest is the error for a nil request: "ahsay AddUser: nil request".
func nilRequest(source Source, op string) *Error {
	return &Error{Source: source, Op: op, Message: "nil request", kinds: []error{ErrInvalidRequest}}
}
