package backupapi

import (
	"context"
	"strings"
)

// UserRef names a backup user. It is embedded in every per-user request;
// Owner is needed only for users owned by a sub-admin or reseller.
type UserRef struct {
	LoginName string `json:"LoginName,omitempty"`
	Owner     string `json:"Owner,omitempty"`
}

// UserStatus is a backup user's account status.
type UserStatus string

// Account statuses.
const (
	UserStatusEnable    UserStatus = "ENABLE"
	UserStatusSuspended UserStatus = "SUSPENDED"
)

// ListUsersRequest filters ListUsers; every field is optional.
type ListUsersRequest struct {
	Criteria      string `json:"Criteria,omitempty"`
	SearchBy      string `json:"searchBy,omitempty"`
	SearchStr     string `json:"searchStr,omitempty"` // login name contains
	Reseller      string `json:"reseller,omitempty"`
	UserGroupID   string `json:"UserGroupID,omitempty"`
	PolicyGroupID string `json:"PolicyGroupID,omitempty"`
	Date          string `json:"Date,omitempty"`       // registered within this many days
	ClientType    string `json:"ClientType,omitempty"` // "OBM" or "ACB"
	// LoginNameOnly returns users with only ID, LoginName, Owner, UserID,
	// ClientType and QuotaUsed set.
	LoginNameOnly bool `json:"LoginNameOnly,omitempty"`
	// ClientTypeOnly returns the same fields as LoginNameOnly.
	ClientTypeOnly bool `json:"ClientTypeOnly,omitempty"`
}

// ListUsers returns the backup users matching req (nil: all users). The
// whole answer is held in memory: for very large servers use AllUsers.
func (c *AhsayClient) ListUsers(ctx context.Context, req *ListUsersRequest) ([]User, error) {
	var out struct {
		envelope
		User []User `json:"User"`
	}
	if err := c.call(ctx, "ListUsers", c.path("ListUsers"), true, listUsersBody(req), &out); err != nil {
		return nil, err
	}
	return out.User, nil
}

func listUsersBody(req *ListUsersRequest) any {
	if req == nil {
		return nil
	}
	return req
}

// AuthUserRequest checks a backup user's login.
type AuthUserRequest struct {
	UserRef
	Password Secret `json:"Password"`
}

// AuthUser returns nil when the backup user exists and the password is valid.
func (c *AhsayClient) AuthUser(ctx context.Context, req AuthUserRequest) error {
	var out envelope
	return c.call(ctx, "AuthUser", "/obs/api/json/AuthUser.do", true, req, &out)
}

// GetUser returns the details of one backup user.
func (c *AhsayClient) GetUser(ctx context.Context, ref UserRef) (*UserDetail, error) {
	var out struct {
		envelope
		Data *UserDetail `json:"Data"`
	}
	if err := c.call(ctx, "GetUser", c.path("GetUser"), true, ref, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		return nil, noData("GetUser")
	}
	return out.Data, nil
}

// AddUser creates a backup user. It is never retried once sent: if the
// answer is lost the error matches ErrOutcomeUnknown.
func (c *AhsayClient) AddUser(ctx context.Context, req *AddUserRequest) error {
	var out envelope
	return c.call(ctx, "AddUser", c.path("AddUser"), false, req, &out)
}

// UpdateUser changes a backup user's profile: only the fields set in req are
// sent (v2 UpdateUser.do; v1 UpdateUserProfile.do with WithAhsayV1).
func (c *AhsayClient) UpdateUser(ctx context.Context, req *UpdateUserRequest) error {
	return c.updateUser(ctx, "UpdateUser", req)
}

func (c *AhsayClient) updateUser(ctx context.Context, op string, req *UpdateUserRequest) error {
	var out envelope
	return c.call(ctx, op, c.path("UpdateUser"), false, req, &out)
}

// ModifyUserStatus enables or suspends a backup user. Setting a status is
// idempotent, so it is retried.
func (c *AhsayClient) ModifyUserStatus(ctx context.Context, ref UserRef, status UserStatus) error {
	req := struct {
		UserRef
		Status UserStatus `json:"Status"`
	}{ref, status}
	var out envelope
	return c.call(ctx, "ModifyUserStatus", "/obs/api/json/ModifyUserStatus.do", true, req, &out)
}

// RemoveUser deletes a backup user.
func (c *AhsayClient) RemoveUser(ctx context.Context, ref UserRef) error {
	var out envelope
	return c.call(ctx, "RemoveUser", "/obs/api/json/RemoveUser.do", false, ref, &out)
}

// SendForgotPasswordEmail sends the user the e-mail that lets them reset
// their password (SendForgotPwdEmail.do).
func (c *AhsayClient) SendForgotPasswordEmail(ctx context.Context, ref UserRef) error {
	var out envelope
	return c.call(ctx, "SendForgotPasswordEmail", "/obs/api/json/SendForgotPwdEmail.do", false, ref, &out)
}

// UpdateAUA turns the Auto Update Agent on or off for the named users (login
// names are case sensitive). Setting a flag is idempotent, so it is retried.
func (c *AhsayClient) UpdateAUA(ctx context.Context, enabled bool, loginNames ...string) error {
	if len(loginNames) == 0 {
		return &Error{Source: SourceAhsay, Op: "UpdateAUA", Message: "no login names given", kinds: []error{ErrInvalidRequest}}
	}
	req := struct {
		Enabled    bool   `json:"Enabled"`
		UserIDList string `json:"UserIdList"`
	}{enabled, strings.Join(loginNames, ",")}
	var out envelope
	return c.call(ctx, "UpdateAUA", "/obs/api/json/UpdateAUA.do", true, req, &out)
}
