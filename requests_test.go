package backupapi

import (
	"context"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestANilRequestIsAClearInvalidRequest(t *testing.T) {
	c, mt := newMockAhsay(t)
	xc, m := newMockXC(t)
	ctx := context.Background()
	calls := map[string]func() error{
		"ahsay AuthUser":             func() error { return c.AuthUser(ctx, nil) },
		"ahsay AddUser":              func() error { return c.AddUser(ctx, nil) },
		"ahsay UpdateUser":           func() error { return c.UpdateUser(ctx, nil) },
		"ahsay ModifyUserStatus":     func() error { return c.ModifyUserStatus(ctx, nil) },
		"ahsay UpdateAUA":            func() error { return c.UpdateAUA(ctx, nil) },
		"ahsay GetUserStorageStat":   func() error { _, err := c.GetUserStorageStat(ctx, nil); return err },
		"ahsay AddContact":           func() error { return c.AddContact(ctx, nil) },
		"ahsay AppendContacts":       func() error { return c.AppendContacts(ctx, nil) },
		"ahsay ReplaceContacts":      func() error { return c.ReplaceContacts(ctx, nil) },
		"ahsay ChangeContacts":       func() error { return c.ChangeContacts(ctx, nil) },
		"ahsay RunSingleUserRebuild": func() error { return c.RunSingleUserRebuild(ctx, nil) },
		"ahsay WaitForRebuild":       func() error { _, err := c.WaitForRebuild(ctx, nil, WaitOptions{}); return err },
		"ahsay GetUserStatus":        func() error { _, err := c.GetUserStatus(ctx, nil); return err },
		"ahsay X":                    func() error { return c.Do(ctx, "X", (*AddUserRequest)(nil), nil) },
		"xclarity CopyBackup":        func() error { _, err := xc.CopyBackup(ctx, nil); return err },
		"xclarity MoveBackup":        func() error { _, err := xc.MoveBackup(ctx, nil); return err },
		"xclarity PushBackup":        func() error { _, err := xc.PushBackup(ctx, nil); return err },
		"xclarity ImportBackup":      func() error { _, err := xc.ImportBackup(ctx, nil); return err },
		"xclarity ProcessBackup":     func() error { _, err := xc.ProcessBackup(ctx, nil); return err },
		"xclarity Do":                func() error { return xc.Do(ctx, "PUT", "/x", (*struct{ A int })(nil), nil) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.EqualError(t, err, name+": nil request")
			assert.ErrorIs(t, err, ErrInvalidRequest)
		})
	}
	t.Run("ListUsers takes a nil filter: every user", func(t *testing.T) {
		mt.RegisterResponder("POST", testBase+"/obs/api/json/2/ListUsers.do", jsonResponder(200, `{"Status":"OK","User":[]}`))
		_, err := c.ListUsers(ctx, nil)
		assert.NoError(t, err)
	})
	assert.Equal(t, 1, mt.GetTotalCallCount(), "nothing else was sent")
	assert.Zero(t, m.mt.GetTotalCallCount())
}

func TestAnIncompleteRequestIsRefusedBeforeSending(t *testing.T) {
	c, mt := newMockAhsay(t)
	xc, m := newMockXC(t)
	ctx := context.Background()
	cases := map[string]func() error{
		"UpdateAUA without names": func() error { return c.UpdateAUA(ctx, &UpdateAUARequest{Enabled: true}) },
		"CopyBackup without a UUID": func() error {
			_, err := xc.CopyBackup(ctx, &TransferBackupRequest{Destination: "internal"})
			return err
		},
		"MoveBackup without a target": func() error { _, err := xc.MoveBackup(ctx, &TransferBackupRequest{UUID: "u"}); return err },
		"PushBackup without a target": func() error { _, err := xc.PushBackup(ctx, &PushBackupRequest{UUID: "u"}); return err },
		"ImportBackup without a body": func() error { _, err := xc.ImportBackup(ctx, &ImportBackupRequest{Filename: "b.tgz"}); return err },
		"GetJobs without IDs":         func() error { _, err := xc.GetJobs(ctx); return err },
		"CancelJobs without IDs":      func() error { return xc.CancelJobs(ctx) },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), ErrInvalidRequest)
		})
	}
	assert.Zero(t, mt.GetTotalCallCount())
	assert.Zero(t, m.mt.GetTotalCallCount())
}

// TestAnEmptyRequiredIDIsRefusedBeforeSending walks every method of both
// clients whose request holds a required ID (a field tagged
// `backupapi:"required"`, or an ID given as a string or a list of them)
// and calls it with that ID empty: ErrInvalidRequest, nothing sent, and
// the message names what is missing.
func TestAnEmptyRequiredIDIsRefusedBeforeSending(t *testing.T) {
	// Methods whose string argument may be empty by contract.
	emptyAllowed := map[string]bool{
		"WaitForBackup": true, // "" waits for the backup or restore under way
		"Do":            true, // takes a path, not an ID
	}
	ahsay, mt := newMockAhsay(t) // any request fails the test
	xc, m := newMockXC(t)
	ctx := reflect.ValueOf(context.Background())
	swept := 0
	for _, client := range []any{ahsay, xc} {
		cv := reflect.ValueOf(client)
		for i := range cv.NumMethod() {
			method := cv.Type().Method(i)
			mt := method.Type // receiver first
			if mt.NumIn() < 2 || mt.In(1) != reflect.TypeFor[context.Context]() || emptyAllowed[method.Name] {
				continue
			}
			if mt.NumOut() == 0 || mt.Out(mt.NumOut()-1) != reflect.TypeFor[error]() {
				continue // iterators report through what they yield
			}
			for _, tc := range badIDCases(mt, "") {
				swept++
				t.Run(cv.Type().Elem().Name()+"."+method.Name+" with "+tc.empty, func(t *testing.T) {
					call := cv.Method(i).Call
					if mt.IsVariadic() {
						call = cv.Method(i).CallSlice
					}
					out := call(append([]reflect.Value{ctx}, tc.args...))
					err, _ := out[len(out)-1].Interface().(error)
					require.Error(t, err)
					assert.ErrorIs(t, err, ErrInvalidRequest)
					assert.Regexp(t, `empty|no \w+ given`, err.Error(), "says what is missing")
				})
			}
		}
	}
	assert.GreaterOrEqual(t, swept, 25, "the sweep found the methods that take IDs")
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
	assert.Zero(t, m.mt.GetTotalCallCount(), "nothing was sent")
}

// TestADotSegmentIDIsRefusedBeforeSending walks the same methods as
// TestAnEmptyRequiredIDIsRefusedBeforeSending with each ID "." or "..":
// url.PathEscape leaves a dot segment, so GET /tasks/.. would reach
// another endpoint through a normalising server or proxy. Every one is
// ErrInvalidRequest, nothing is sent, and the message says why.
func TestADotSegmentIDIsRefusedBeforeSending(t *testing.T) {
	ahsay, mt := newMockAhsay(t) // any request fails the test
	xc, m := newMockXC(t)
	ctx := reflect.ValueOf(context.Background())
	swept := map[string]bool{}
	for _, client := range []any{ahsay, xc} {
		cv := reflect.ValueOf(client)
		for i := range cv.NumMethod() {
			method := cv.Type().Method(i)
			mt := method.Type
			if mt.NumIn() < 2 || mt.In(1) != reflect.TypeFor[context.Context]() || method.Name == "Do" {
				continue
			}
			if mt.NumOut() == 0 || mt.Out(mt.NumOut()-1) != reflect.TypeFor[error]() {
				continue
			}
			for _, dots := range []string{".", ".."} {
				for _, tc := range badIDCases(mt, dots) {
					swept[method.Name] = true
					t.Run(cv.Type().Elem().Name()+"."+method.Name+" with "+tc.empty, func(t *testing.T) {
						call := cv.Method(i).Call
						if mt.IsVariadic() {
							call = cv.Method(i).CallSlice
						}
						out := call(append([]reflect.Value{ctx}, tc.args...))
						err, _ := out[len(out)-1].Interface().(error)
						require.Error(t, err)
						assert.ErrorIs(t, err, ErrInvalidRequest)
						assert.Contains(t, err.Error(), strconv.Quote(dots)+" is a dot segment")
					})
				}
			}
		}
	}
	for _, name := range []string{"GetJob", "GetJobs", "CancelJobs", "DeleteBackup", "CopyBackup", "MoveBackup", "PushBackup", "PrepareRestore", "StartRestore", "WaitForJob"} {
		assert.True(t, swept[name], "the sweep reached %s", name)
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
	assert.Zero(t, m.mt.GetTotalCallCount(), "nothing was sent")
}

// emptyIDCase is one call of a method with one required ID empty.
type emptyIDCase struct {
	empty string // which
	args  []reflect.Value
}

// badIDCases builds, for method type mt, one set of arguments after ctx
// per required ID it takes, with that ID set to bad ("" for empty) and
// everything else filled in as a caller would; none when the method takes
// no ID.
func badIDCases(mt reflect.Type, bad string) []emptyIDCase {
	what := "an empty"
	if bad != "" {
		what = "a " + strconv.Quote(bad)
	}
	badValue := func(t reflect.Type) reflect.Value {
		v := reflect.New(t).Elem()
		v.SetString(bad)
		return v
	}
	var cases []emptyIDCase
	for j := 2; j < mt.NumIn(); j++ {
		at := mt.In(j)
		base := at
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		wrap := func(v reflect.Value) reflect.Value {
			if at.Kind() != reflect.Pointer {
				return v
			}
			p := reflect.New(base)
			p.Elem().Set(v)
			return p
		}
		argsWith := func(v reflect.Value) []reflect.Value {
			args := make([]reflect.Value, 0, mt.NumIn()-2)
			for k := 2; k < mt.NumIn(); k++ {
				if k == j {
					args = append(args, wrap(v))
				} else {
					args = append(args, reflect.Zero(mt.In(k)))
				}
			}
			return args
		}
		switch {
		case base.Kind() == reflect.String && j == 2:
			cases = append(cases, emptyIDCase{what + " ID", argsWith(badValue(base))})
		case base.Kind() == reflect.Slice && base.Elem().Kind() == reflect.String && mt.IsVariadic() && j == mt.NumIn()-1:
			cases = append(cases, emptyIDCase{what + " ID in the list", argsWith(reflect.ValueOf([]string{"17", bad}))})
		case base.Kind() == reflect.Struct:
			required := requiredFields(base)
			for _, missing := range required {
				v := reflect.New(base).Elem()
				fillOptional(v)
				for _, f := range required {
					if f.name != missing.name {
						v.FieldByIndex(f.index).SetString("x")
					} else {
						v.FieldByIndex(f.index).SetString(bad)
					}
				}
				cases = append(cases, emptyIDCase{what + " " + missing.name, argsWith(v)})
			}
		}
	}
	return cases
}

// fillOptional sets what a request needs besides its required IDs (a
// date), so that only the empty ID can be what is refused.
func fillOptional(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Type() == reflect.TypeFor[time.Time]() && f.CanSet() {
			f.Set(reflect.ValueOf(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
		}
	}
}
