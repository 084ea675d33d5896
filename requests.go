package backupapi

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// checkRequest is the one check of a request before anything is sent, for
// every endpoint of both products. It refuses, with ErrInvalidRequest:
//   - a nil *Request (optional requests are the caller's to let through);
//   - an empty required ID: a field tagged `backupapi:"required"` (a
//     LoginName, a BackupSetID), a request that is itself an ID (a
//     string, GetJob's), or an empty ID in a list of them (GetJobs);
//   - an ID that is a dot segment, "." or "..", wherever it goes: in a
//     URL path (/tasks/{id}, /managementServer/data/{uuid}) url.PathEscape
//     leaves it as it is, and a server or proxy that normalises the path
//     would send the call to another endpoint, so no ID may be one;
//   - whatever the request's own validate method refuses.
func checkRequest(source Source, op string, in any) *Error {
	if isNilPointer(in) {
		return nilRequest(source, op)
	}
	if problem := missingID(in); problem != "" {
		return &Error{Source: source, Op: op, Message: problem, kinds: []error{ErrInvalidRequest}}
	}
	if v, ok := in.(validator); ok {
		if err := v.validate(); err != nil {
			return &Error{Source: source, Op: op, Message: err.Error(), kinds: []error{ErrInvalidRequest}}
		}
	}
	return nil
}

// validator is a request that checks itself before it is sent.
type validator interface{ validate() error }

// isNilPointer reports whether v is a typed nil pointer (a nil *Request).
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// nilRequest is the error for a nil request: "ahsay AddUser: nil request".
func nilRequest(source Source, op string) *Error {
	return &Error{Source: source, Op: op, Message: "nil request", kinds: []error{ErrInvalidRequest}}
}

// missingID says which required ID in is empty or a dot segment, or ""
// when none is.
func missingID(in any) string {
	v := reflect.ValueOf(in)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		if p := idProblem(v.String()); p != "" {
			return "the ID " + p
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return ""
		}
		for i := range v.Len() {
			if p := idProblem(v.Index(i).String()); p != "" {
				return fmt.Sprintf("ID %d of %d %s", i+1, v.Len(), p)
			}
		}
	case reflect.Struct:
		for _, f := range requiredFields(v.Type()) {
			id := v.FieldByIndex(f.index).String()
			if strings.TrimSpace(id) == "" {
				return f.name + " is required (it is empty)"
			}
			if p := idProblem(id); p != "" {
				return f.name + " " + p
			}
		}
	}
	return ""
}

// idProblem says what is wrong with an ID ("is empty", "is a dot
// segment"), or "" when nothing is.
func idProblem(id string) string {
	switch {
	case strings.TrimSpace(id) == "":
		return "is empty"
	case id == "." || id == "..":
		return fmt.Sprintf("%q is a dot segment: in a URL path it would name another endpoint", id)
	}
	return ""
}

// requiredField is a string field tagged `backupapi:"required"`, at index
// in its struct (through embedded structs).
type requiredField struct {
	name  string
	index []int
}

var requiredByType sync.Map // reflect.Type → []requiredField

// requiredFields returns the required fields of struct type t, embedded
// structs included, computed once per type.
func requiredFields(t reflect.Type) []requiredField {
	if f, ok := requiredByType.Load(t); ok {
		return f.([]requiredField)
	}
	var out []requiredField
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			at := append(append([]int(nil), index...), i)
			switch {
			case f.Anonymous && f.Type.Kind() == reflect.Struct:
				walk(f.Type, at)
			case f.Type.Kind() == reflect.String && f.Tag.Get("backupapi") == "required":
				out = append(out, requiredField{name: f.Name, index: at})
			}
		}
	}
	walk(t, nil)
	requiredByType.Store(t, out)
	return out
}
