package backupapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
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
