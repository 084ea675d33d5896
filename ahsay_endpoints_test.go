package backupapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAhsayRequests asserts, for every method, the path, the method, the
// Content-Type and the exact JSON body: SysUser/SysPwd plus only what the
// caller set.
func TestAhsayRequests(t *testing.T) {
	creds := map[string]any{"SysUser": testSysUser, "SysPwd": testSysPwd}
	with := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range creds {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	contact := map[string]any{"Name": "n", "Email": "n@example.com"}
	cases := []struct {
		name string
		opts []Option
		path string
		call func(context.Context, *AhsayClient) error
		want map[string]any
	}{
		{"ListUsers with nil request sends only credentials", nil, "/obs/api/json/2/ListUsers.do",
			func(ctx context.Context, c *AhsayClient) error { _, err := c.ListUsers(ctx, nil); return err }, with(nil)},
		{"ListUsers sends the set filters with the reference's key names", nil, "/obs/api/json/2/ListUsers.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.ListUsers(ctx, &ListUsersRequest{SearchStr: "obm", ClientType: "OBM", LoginNameOnly: true, Reseller: "r"})
				return err
			}, with(map[string]any{"searchStr": "obm", "ClientType": "OBM", "LoginNameOnly": true, "reseller": "r"})},
		{"ListUsers uses the v1 path with WithAhsayV1", []Option{WithAhsayV1()}, "/obs/api/json/ListUsers.do",
			func(ctx context.Context, c *AhsayClient) error { _, err := c.ListUsers(ctx, nil); return err }, with(nil)},
		{"AllUsers calls ListUsers", nil, "/obs/api/json/2/ListUsers.do",
			func(ctx context.Context, c *AhsayClient) error {
				for _, err := range c.AllUsers(ctx, &ListUsersRequest{ClientTypeOnly: true}) {
					return err
				}
				return nil
			}, with(map[string]any{"ClientTypeOnly": true})},
		{"AuthUser sends login name and password", nil, "/obs/api/json/AuthUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.AuthUser(ctx, &AuthUserRequest{UserRef: UserRef{LoginName: "u", Owner: "o"}, Password: "pw"})
			}, with(map[string]any{"LoginName": "u", "Owner": "o", "Password": "pw"})},
		{"GetUser sends the user ref without an empty Owner", nil, "/obs/api/json/2/GetUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.GetUser(ctx, UserRef{LoginName: "u"})
				return err
			},
			with(map[string]any{"LoginName": "u"})},
		{"GetUser uses the v1 path with WithAhsayV1", []Option{WithAhsayV1()}, "/obs/api/json/GetUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.GetUser(ctx, UserRef{LoginName: "u"})
				return err
			},
			with(map[string]any{"LoginName": "u"})},
		{"AddUser sends only the set fields", nil, "/obs/api/json/2/AddUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.AddUser(ctx, &AddUserRequest{UserRef: UserRef{LoginName: "obm2"}, Password: "obm2", Email: "e@x",
					Type: "PAID", Status: UserStatusEnable, ClientType: "OBM", EnableVMware: Ptr(false), StorageQuota: Ptr(GB(75)),
					QuotaList: []Quota{{Enabled: true, DestinationKey: "OBS", Quota: 53687091200}}})
			}, with(map[string]any{"LoginName": "obm2", "Password": "obm2", "Email": "e@x", "Type": "PAID", "Status": "ENABLE",
				"ClientType": "OBM", "EnableVMware": false, "StorageQuota": float64(75),
				"QuotaList": []any{map[string]any{"Enabled": true, "DestinationKey": "OBS", "Quota": float64(53687091200)}}})},
		{"AddUser uses the v1 path with WithAhsayV1", []Option{WithAhsayV1()}, "/obs/api/json/AddUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.AddUser(ctx, &AddUserRequest{UserRef: UserRef{LoginName: "x"}})
			}, with(map[string]any{"LoginName": "x"})},
		{"UpdateUser sends only the set fields", nil, "/obs/api/json/2/UpdateUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.UpdateUser(ctx, &UpdateUserRequest{UserRef: obm, Notes: Ptr(""), EnableAUA: Ptr(false),
					ModuleSettings:      &ModuleSettings{ShadowCopyEnabled: Ptr(true), DeduplicationEnabled: Ptr(false)},
					UserSuspendSettings: &UserSuspendSettings{Enabled: false}})
			}, with(map[string]any{"LoginName": "obm", "Notes": "", "EnableAUA": false,
				"ModuleSettings":      map[string]any{"ShadowCopyEnabled": true, "DeduplicationEnabled": false},
				"UserSuspendSettings": map[string]any{"Enabled": false}})},
		{"UpdateUser uses UpdateUserProfile with WithAhsayV1", []Option{WithAhsayV1()}, "/obs/api/json/UpdateUserProfile.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.UpdateUser(ctx, &UpdateUserRequest{UserRef: obm, Language: Ptr("en")})
			}, with(map[string]any{"LoginName": "obm", "Language": "en"})},
		{"ModifyUserStatus sends the status", nil, "/obs/api/json/ModifyUserStatus.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.ModifyUserStatus(ctx, &ModifyUserStatusRequest{UserRef: UserRef{LoginName: "obm2"}, Status: UserStatusSuspended})
			}, with(map[string]any{"LoginName": "obm2", "Status": "SUSPENDED"})},
		{"RemoveUser sends the user ref", nil, "/obs/api/json/RemoveUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.RemoveUser(ctx, UserRef{LoginName: "obm2", Owner: "r1"})
			},
			with(map[string]any{"LoginName": "obm2", "Owner": "r1"})},
		{"SendForgotPasswordEmail calls SendForgotPwdEmail", nil, "/obs/api/json/SendForgotPwdEmail.do",
			func(ctx context.Context, c *AhsayClient) error { return c.SendForgotPasswordEmail(ctx, obm) },
			with(map[string]any{"LoginName": "obm"})},
		{"UpdateAUA sends Enabled and a comma-separated list", nil, "/obs/api/json/UpdateAUA.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.UpdateAUA(ctx, &UpdateAUARequest{Enabled: false, LoginNames: []string{"user1", "user2"}})
			},
			with(map[string]any{"Enabled": false, "UserIdList": "user1,user2"})},
		{"GetUserStorageStat sends month and backup set", nil, "/obs/api/json/GetUserStorageStat.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.GetUserStorageStat(ctx, &StorageStatRequest{UserRef: obm, YearMonth: "2024-06", BackupSetID: "all"})
				return err
			}, with(map[string]any{"LoginName": "obm", "YearMonth": "2024-06", "BackupSetID": "all"})},
		{"AddContact sends NewContact as an object", nil, "/obs/api/json/AddContact.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.AddContact(ctx, &AddContactRequest{UserRef: obm, Contact: Contact{Name: "n", Email: "n@example.com"}})
			}, with(map[string]any{"LoginName": "obm", "NewContact": contact})},
		{"AppendContacts sends AppendContact Y", nil, "/obs/api/json/2/UpdateUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.AppendContacts(ctx, &ContactsRequest{UserRef: obm, Contacts: []Contact{Contact{Name: "n", Email: "n@example.com"}}})
			}, with(map[string]any{"LoginName": "obm", "AppendContact": "Y", "Contact": []any{contact}})},
		{"ReplaceContacts with none sends an empty list", nil, "/obs/api/json/2/UpdateUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.ReplaceContacts(ctx, &ContactsRequest{UserRef: obm, Contacts: nil})
			},
			with(map[string]any{"LoginName": "obm", "AppendContact": "N", "Contact": []any{}})},
		{"ChangeContacts sends ChangeContact Y with old and new", nil, "/obs/api/json/2/UpdateUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.ChangeContacts(ctx, &ChangeContactsRequest{UserRef: obm, Old: []Contact{{Name: "n", Email: "n@example.com"}}, New: []Contact{{Name: "m"}}})
			}, with(map[string]any{"LoginName": "obm", "ChangeContact": "Y", "OldContact": []any{contact},
				"NewContact": []any{map[string]any{"Name": "m"}}})},
		{"RunSingleUserRebuild sends the backup set", nil, "/obs/api/json/RunSingleUserRebuild.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.RunSingleUserRebuild(ctx, &RebuildRequest{UserRef: obm, BackupSetID: "1", CheckCrc: Ptr(true)})
			}, with(map[string]any{"LoginName": "obm", "BackupSetID": "1", "CheckCrc": true})},
		{"GetSingleUserRebuildStatus sends the user ref", nil, "/obs/api/json/GetSingleUserRebuildStatus.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.GetSingleUserRebuildStatus(ctx, obm)
				return err
			},
			with(map[string]any{"LoginName": "obm"})},
		{"GetUserStatus sends Type", nil, "/cbs/api/json/GetUserStatus.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.GetUserStatus(ctx, &GetUserStatusRequest{Type: JobTypeRestore})
				return err
			},
			with(map[string]any{"Type": "restore"})},
		{"GetUserStatus can send LoginName, as both reference examples do", nil, "/cbs/api/json/GetUserStatus.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.GetUserStatus(ctx, &GetUserStatusRequest{Type: JobTypeBackup, LoginName: "obm"})
				return err
			},
			with(map[string]any{"Type": "backup", "LoginName": "obm"})},
		{"UpdateUser sends SecuritySettings with the example's Enable key and a phone list", nil, "/obs/api/json/2/UpdateUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.UpdateUser(ctx, &UpdateUserRequest{UserRef: obm, SecuritySettings: &SecuritySettingsUpdate{
					Enable: Ptr(true), PhoneList: []PhoneUpdate{{CountryCode: 852, PhoneNumber: "91234567"}}}})
			},
			with(map[string]any{"LoginName": "obm", "SecuritySettings": map[string]any{"Enable": true,
				"PhoneList": []any{map[string]any{"CountryCode": 852.0, "PhoneNumber": "91234567"}}}})},
		{"UpdateUser sends ModuleSettings.OpenDirectQuota as a number, as the examples show it", nil, "/obs/api/json/2/UpdateUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.UpdateUser(ctx, &UpdateUserRequest{UserRef: obm, ModuleSettings: &ModuleSettings{OpenDirectEnabled: Ptr(true), OpenDirectQuota: Ptr(Int64(3))}})
			},
			with(map[string]any{"LoginName": "obm", "ModuleSettings": map[string]any{"OpenDirectEnabled": true, "OpenDirectQuota": 3.0}})},
		{"AddUser sends OpenDirectQuota as a number, as the examples show it", nil, "/obs/api/json/2/AddUser.do",
			func(ctx context.Context, c *AhsayClient) error {
				return c.AddUser(ctx, &AddUserRequest{UserRef: obm, Password: "Pa55-word", OpenDirectQuota: Ptr(int64(2))})
			},
			with(map[string]any{"LoginName": "obm", "Password": "Pa55-word", "OpenDirectQuota": 2.0})},
		{"GetServerRunJobStatus sends both User and LoginName", nil, "/cbs/api/json/GetServerRunJobStatus.do",
			func(ctx context.Context, c *AhsayClient) error {
				_, err := c.GetServerRunJobStatus(ctx, UserRef{LoginName: "obm"})
				return err
			},
			with(map[string]any{"User": "obm", "LoginName": "obm"})},
		{"Do resolves a bare endpoint name", nil, "/obs/api/json/ListBackupSets.do",
			func(ctx context.Context, c *AhsayClient) error {
				var out map[string]any
				return c.Do(ctx, "ListBackupSets", map[string]string{"LoginName": "obm"}, &out)
			}, with(map[string]any{"LoginName": "obm"})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t, tc.opts...)
			var got capture
			answer := jsonResponder(http.StatusOK, `{"Status":"OK","Data":{"Status":"Finished"}}`)
			mt.RegisterResponder("POST", testBase+tc.path, got.responder(t, answer))
			require.NoError(t, tc.call(context.Background(), c))
			require.Len(t, got.reqs, 1)
			r := got.reqs[0]
			assert.Equal(t, http.MethodPost, r.Method)
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.Equal(t, DefaultUserAgent, r.Header.Get("User-Agent"))
			assert.Equal(t, tc.want, got.bodies[0])
		})
	}
}
