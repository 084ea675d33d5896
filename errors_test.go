package backupapi

import (
	"context"
	"errors"
	"fmt"
	"github.com/jarcoal/httpmock"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorTableRows checks every row of the mapping table once, through
// the classifier that uses it.
func TestErrorTableRows(t *testing.T) {
	for i, m := range errorTable {
		name := fmt.Sprintf("row %d: %s %q status %d event %d -> %v", i, m.source, m.text, m.status, m.event, m.sentinel)
		t.Run(name, func(t *testing.T) {
			switch {
			case m.text != "":
				msg := "[Origin.Something] prefix " + m.text + " suffix"
				assert.Equal(t, m.sentinel, classifyText(m.source, msg))
			case m.status != 0:
				assert.Equal(t, m.sentinel, classifyStatus(m.status))
			case m.event != 0:
				assert.Equal(t, m.sentinel, classifyEvent(m.event))
			default:
				t.Fatalf("row %d has no key", i)
			}
		})
	}
}

func TestAhsayMessagesAreClassifiedByMessageNotExptType(t *testing.T) {
	cases := []struct {
		msg, expt string
		want      error
	}{
		{"[UserCacheManager.NoSuchUserExpt] User ‘x’ not found.", "com.ahsay.obs.core.dbs.ai", ErrNotFound},
		{"[UserCacheManager.NoSuchUserExpt] User ‘x’ not found.", "com.ahsay.obs.core.dbs.zz", ErrNotFound},
		{"Your password has expired and must be changed. Please update in web console or by UpdateSysUser API", "x", ErrAuthentication},
		{"[Error] Parameter Enabled is null / empty!", "", ErrInvalidRequest},
		{"Contact already exists <a@b>", "", ErrAlreadyExists},
		{"Something nobody has seen", "com.ahsay.obs.core.dbs.ai", nil},
	}
	for _, tc := range cases {
		t.Run(tc.msg+" with "+tc.expt, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+"/obs/api/json/RemoveUser.do",
				jsonResponder(200, fmt.Sprintf(`{"Status":"Error","Message":%q,"ExptType":%q}`, tc.msg, tc.expt)))
			err := c.RemoveUser(context.Background(), obm)
			var e *Error
			require.ErrorAs(t, err, &e)
			if tc.want == nil {
				assert.Empty(t, e.Kinds())
				return
			}
			assert.Equal(t, []error{tc.want}, e.Kinds())
		})
	}
}

func TestErrorStrings(t *testing.T) {
	cases := []struct {
		err  *Error
		want string
	}{
		{&Error{Source: SourceAhsay, Op: "AddUser", Message: "contact already exists <x>", ExptType: "com.ahsay.X"},
			"ahsay AddUser: contact already exists <x> (ExptType com.ahsay.X)"},
		{&Error{Source: SourceXClarity, Op: "CopyBackup", HTTPStatus: 403, Messages: []Message{{ID: "FQXHMSE0001I", Text: "denied"}}},
			"xclarity CopyBackup: 403 Forbidden: denied (FQXHMSE0001I)"},
		{&Error{Source: SourceConnectedBackup, EventID: 1009, Message: "Permission denied"},
			"connected backup 1009: Permission denied"},
		{&Error{Source: SourceAhsay, Op: "UpdateUser"}, "ahsay UpdateUser: the server reported an error without a message"},
		{&Error{Source: SourceAhsay, Op: "ListUsers", Message: "busy", HTTPStatus: 503, Attempts: 4},
			"ahsay ListUsers: busy [HTTP 503] (after 4 attempts)"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) { assert.Equal(t, tc.want, tc.err.Error()) })
	}
}

func TestErrorUnwrapsItsCause(t *testing.T) {
	e := &Error{Source: SourceAhsay, Err: context.DeadlineExceeded}
	assert.ErrorIs(t, e, context.DeadlineExceeded)
	wrapped := fmt.Errorf("outer: %w", e)
	var got *Error
	require.True(t, errors.As(wrapped, &got))
	assert.Same(t, e, got)
}

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

// assertSaysEachThingOnce fails when a part of an error's text (the
// pieces between ": ") appears twice.
func assertSaysEachThingOnce(t *testing.T, text string) {
	t.Helper()
	seen := map[string]bool{}
	for _, part := range strings.Split(text, ": ") {
		part = strings.TrimSpace(part)
		if len(part) < 6 {
			continue
		}
		assert.False(t, seen[part], "%q is said twice in: %s", part, text)
		seen[part] = true
	}
}

func TestNoErrorTextRepeatsItself(t *testing.T) {
	cases := []struct {
		name      string
		responder httpmock.Responder
		call      func(context.Context, *AhsayClient) error
	}{
		{"truncated JSON", jsonResponder(200, `{"Status":"OK","Data":{"Login`), getUserCall},
		{"invalid JSON", jsonResponder(200, `{"Status":"OK","Data":{"LoginName":x}}`), getUserCall},
		{"a field of the wrong type", jsonResponder(200, `{"Status":"OK","User":"text"}`), func(ctx context.Context, c *AhsayClient) error {
			_, err := c.ListUsers(ctx, nil)
			return err
		}},
		{"an HTML page", htmlResponder(502), getUserCall},
		{"a connection reset", reset, getUserCall},
		{"an error answer", jsonResponder(200, `{"Status":"Error","Message":"[X] boom","ExptType":"e"}`), getUserCall},
		{"Do decoding into the wrong type", jsonResponder(200, `{"Status":"OK","A":"text"}`), func(ctx context.Context, c *AhsayClient) error {
			var out struct{ A int }
			return c.Do(ctx, "X", nil, &out)
		}},
		{"a request that cannot be encoded", okStatus, func(ctx context.Context, c *AhsayClient) error {
			return c.Do(ctx, "X", map[string]any{"C": make(chan int)}, nil)
		}},
		{"a request that is not an object", okStatus, func(ctx context.Context, c *AhsayClient) error {
			return c.Do(ctx, "X", []int{1}, nil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithRetry(0, 0, 0))
			mt.RegisterNoResponder(tc.responder)
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			assertSaysEachThingOnce(t, err.Error())
		})
	}
}

func getUserCall(ctx context.Context, c *AhsayClient) error {
	_, err := c.GetUser(ctx, obm)
	return err
}
