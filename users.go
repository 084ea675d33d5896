package backupapi

import (
	"context"
	"errors"
	"strings"
)

// UserRef names a backup user. It is embedded in every per-user request;
// Owner is needed only for users owned by a sub-admin or reseller.
type UserRef struct {
	LoginName string `json:"LoginName,omitempty" backupapi:"required"`
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
	Criteria      string     `json:"Criteria,omitempty"`
	SearchBy      string     `json:"searchBy,omitempty"`
	SearchStr     string     `json:"searchStr,omitempty"` // login name contains
	Reseller      string     `json:"reseller,omitempty"`
	UserGroupID   string     `json:"UserGroupID,omitempty"`
	PolicyGroupID string     `json:"PolicyGroupID,omitempty"`
	Date          string     `json:"Date,omitempty"`       // registered within this many days
	ClientType    ClientType `json:"ClientType,omitempty"` // ClientTypeOBM or ClientTypeACB
	// LoginNameOnly returns users with only ID, LoginName, Owner, UserID,
	// ClientType and QuotaUsed set.
	LoginNameOnly bool `json:"LoginNameOnly,omitempty"`
	// ClientTypeOnly returns the same fields as LoginNameOnly.
	ClientTypeOnly bool `json:"ClientTypeOnly,omitempty"`
}

// ListUsers returns the backup users matching req; req may be nil (every
// user). The reference's table names the destination quotas
// DestinationQuotaList, but its example (and AhsayCBS) fill QuotaList: both
// are decoded, and User.Quotas returns whichever is filled. The whole
// answer is held in memory: for very large servers use AllUsers.
//
// Wire: POST /obs/api/json/2/ListUsers.do (v1: /obs/api/json/ListUsers.do)
//
// Answer: {"Status":"OK","User":[...]}; without User, no users
func (c *AhsayClient) ListUsers(ctx context.Context, req *ListUsersRequest) ([]User, error) {
	return ahsayListUsers.call(ctx, c, req)
}

// listUsersBody is the body of a ListUsers request: only the credentials
// for a nil filter.
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
//
// Wire: POST /obs/api/json/AuthUser.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) AuthUser(ctx context.Context, req *AuthUserRequest) error {
	return ahsayAuthUser.do(ctx, c, req)
}

// GetUser returns the details of one backup user.
//
// Wire: POST /obs/api/json/2/GetUser.do (v1: /obs/api/json/GetUser.do)
//
// Answer: {"Status":"OK","Data":{...}}; without Data, ErrUnexpectedResponse
func (c *AhsayClient) GetUser(ctx context.Context, ref UserRef) (*UserDetail, error) {
	return ahsayGetUser.call(ctx, c, ref)
}

// AddUser creates a backup user. It is never retried once sent: if the
// answer is lost the error matches ErrOutcomeUnknown.
//
// Wire: POST /obs/api/json/2/AddUser.do (v1: /obs/api/json/AddUser.do)
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) AddUser(ctx context.Context, req *AddUserRequest) error {
	return ahsayAddUser.do(ctx, c, req)
}

// UpdateUser changes a backup user's profile: only the fields set in req
// are sent.
//
// Wire: POST /obs/api/json/2/UpdateUser.do (v1: /obs/api/json/UpdateUserProfile.do)
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) UpdateUser(ctx context.Context, req *UpdateUserRequest) error {
	return ahsayUpdateUser.do(ctx, c, req)
}

// ModifyUserStatusRequest enables or suspends a backup user.
type ModifyUserStatusRequest struct {
	UserRef
	Status UserStatus `json:"Status"` // UserStatusEnable or UserStatusSuspended
}

// ModifyUserStatus enables or suspends a backup user. Setting a status is
// idempotent, so it is retried.
//
// Wire: POST /obs/api/json/ModifyUserStatus.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) ModifyUserStatus(ctx context.Context, req *ModifyUserStatusRequest) error {
	return ahsayModifyUserStatus.do(ctx, c, req)
}

// RemoveUser deletes a backup user.
//
// Wire: POST /obs/api/json/RemoveUser.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) RemoveUser(ctx context.Context, ref UserRef) error {
	return ahsayRemoveUser.do(ctx, c, ref)
}

// SendForgotPasswordEmail sends the user the e-mail that lets them reset
// their password.
//
// Wire: POST /obs/api/json/SendForgotPwdEmail.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) SendForgotPasswordEmail(ctx context.Context, ref UserRef) error {
	return ahsaySendForgotPasswordEmail.do(ctx, c, ref)
}

// UpdateAUARequest turns the Auto Update Agent on or off for some users.
type UpdateAUARequest struct {
	Enabled    bool
	LoginNames []string // case sensitive; at least one
}

func (r *UpdateAUARequest) validate() error {
	if len(r.LoginNames) == 0 {
		return errors.New("no login names given")
	}
	return nil
}

// wire is the body UpdateAUA.do takes: the names comma-separated.
func (r *UpdateAUARequest) wire() any {
	return struct {
		Enabled    bool   `json:"Enabled"`
		UserIDList string `json:"UserIdList"`
	}{r.Enabled, strings.Join(r.LoginNames, ",")}
}

// UpdateAUA turns the Auto Update Agent on or off for the named users.
// Setting a flag is idempotent, so it is retried.
//
// Wire: POST /obs/api/json/UpdateAUA.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) UpdateAUA(ctx context.Context, req *UpdateAUARequest) error {
	return ahsayUpdateAUA.do(ctx, c, req)
}
