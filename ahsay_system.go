package backupapi

import (
	"context"
	"encoding/json"
	"slices"
)

// AuthSystemUser checks the client's own system credentials: nil when
// they are valid and their role may use the API. A wrong password (or a
// role that may not) fails with ErrAuthentication. It makes a cheap
// health check.
//
// Wire: POST /obs/api/json/AuthSystemUser.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) AuthSystemUser(ctx context.Context) error {
	return ahsayAuthSystemUser.do(ctx, c, none{})
}

// License is the server's licence. The reference shows the v2 quota
// counts (sent as strings); every other key is in Extra. Info is the
// warning an "OK" answer may carry ("License expired ... Backup server is
// stopped").
type License struct {
	Licensee                    string                     `json:"Licensee"`
	Key                         Secret                     `json:"Key"`
	Deactivated                 Bool                       `json:"Deactivated"`
	VMQuota                     Int64                      `json:"VMQuota"`
	UsedVMQuota                 Int64                      `json:"UsedVMQuota"`
	RemainVMQuota               Int64                      `json:"RemainVMQuota"`
	HypervisorSocketQuota       Int64                      `json:"HypervisorSocketQuota"`
	UsedHypervisorSocketQuota   Int64                      `json:"UsedHypervisorSocketQuota"`
	RemainHypervisorSocketQuota Int64                      `json:"RemainHypervisorSocketQuota"`
	NasQuota                    Int64                      `json:"NasQuota"`
	UsedNasQuota                Int64                      `json:"UsedNasQuota"`
	RemainNasQuota              Int64                      `json:"RemainNasQuota"`
	Office365Quota              Int64                      `json:"Office365Quota"`
	UsedOffice365Quota          Int64                      `json:"UsedOffice365Quota"`
	RemainOffice365Quota        Int64                      `json:"RemainOffice365Quota"`
	Info                        string                     `json:"Info"`
	Extra                       map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (l *License) UnmarshalJSON(data []byte) error {
	type plain License
	return decodeKeepingExtra(data, (*plain)(l), &l.Extra)
}

// licenseAnswer: where the licence sits (under Data or beside the
// envelope) the reference does not show; both are read.
type licenseAnswer struct {
	env envelope
	raw json.RawMessage
}

func (a *licenseAnswer) ahsayEnvelope() *envelope { return &a.env }

func (a *licenseAnswer) UnmarshalJSON(b []byte) error {
	a.raw = append(a.raw[:0], b...)
	return json.Unmarshal(b, &a.env)
}

func (*licenseAnswer) shape() answerShape {
	return answerShape{holds: `{"Status":"OK","Data":{...}}` + " or the licence's keys beside Status",
		without: "with neither, ErrUnexpectedResponse", missingFails: true, bare: ahsayBare}
}

func (a *licenseAnswer) value(op string) (*License, error) {
	var w map[string]json.RawMessage
	_ = json.Unmarshal(a.raw, &w)
	var l License
	src := a.raw
	if d := w["Data"]; len(d) > 0 && d[0] == '{' {
		src = d
	} else if !hasKeyBesides(w, "Status", "Message", "ExptType", "Info", "Data") {
		return nil, noData(op)
	}
	if err := json.Unmarshal(src, &l); err != nil {
		return nil, err
	}
	for _, k := range []string{"Status", "Message", "ExptType", "Data"} {
		delete(l.Extra, k)
	}
	if l.Info == "" {
		l.Info = a.env.Info
	}
	return &l, nil
}

// GetLicense returns the server's licence and its module quotas.
//
// Wire: POST /obs/api/json/2/GetLicense.do (v1, before 9.1: /cbs/api/json/GetLicense.do)
//
// Answer: {"Status":"OK","Data":{...}} or the licence's keys beside Status; with neither, ErrUnexpectedResponse
func (c *AhsayClient) GetLicense(ctx context.Context) (*License, error) {
	return ahsayGetLicense.call(ctx, c, none{})
}

// ListPolicyGroupsRequest filters ListPolicyGroups; it may be nil.
type ListPolicyGroupsRequest struct {
	LoginName string `json:"LoginName,omitempty"`
	// NameOnly returns only each group's ID and name.
	NameOnly bool `json:"PolicyGroupNameOnly,omitempty"`
}

// PolicyGroup is a policy group; its ID is what ListUsersRequest's
// PolicyGroupID takes. The reference shows part of its keys: the rest
// (settings arrays included) are in Extra.
type PolicyGroup struct {
	ID    string                     `json:"PolicyGroupID"`
	Name  string                     `json:"PolicyGroupName"`
	Type  string                     `json:"Type"` // BACKUP_USER or SYSTEM_USER
	Owner string                     `json:"Owner"`
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra;
// an "ID" or "Name" key fills ID and Name when the PolicyGroup* keys are
// absent.
func (g *PolicyGroup) UnmarshalJSON(data []byte) error {
	type plain PolicyGroup
	if err := decodeKeepingExtra(data, (*plain)(g), &g.Extra); err != nil {
		return err
	}
	takeAlias(&g.ID, g.Extra, "ID")
	takeAlias(&g.Name, g.Extra, "Name")
	return nil
}

// takeAlias fills *field from extra[key] when empty, and removes the key.
func takeAlias(field *string, extra map[string]json.RawMessage, key string) {
	if raw, ok := extra[key]; ok && *field == "" && isScalar(raw) {
		*field = rawText(raw)
		delete(extra, key)
	}
}

// ListPolicyGroups lists the policy groups.
//
// Wire: POST /obs/api/json/2/ListPolicyGroups.do (v1: /obs/api/json/ListPolicyGroups.do)
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListPolicyGroups(ctx context.Context, req *ListPolicyGroupsRequest) ([]PolicyGroup, error) {
	return ahsayListPolicyGroups.call(ctx, c, req)
}

// ListUserGroupsRequest filters ListUserGroups; it may be nil (every
// group).
type ListUserGroupsRequest struct {
	UserGroupID string `json:"UserGroupID,omitempty"` // a 13-digit ID
	UserID      string `json:"UserID,omitempty"`
	// GroupOnly returns only each group's ID, name, type and owner.
	GroupOnly bool `json:"UserGroupOnly,omitempty"`
}

// UserGroupInfo is a user group as ListUserGroups returns it; its ID is
// what ListUsersRequest's UserGroupID takes. Users and PolicyGroups are
// filled unless GroupOnly.
type UserGroupInfo struct {
	ID           string                     `json:"ID"`
	Name         string                     `json:"Name"`
	Type         string                     `json:"Type"` // BACKUP_USER
	Owner        string                     `json:"Owner"`
	Users        []GroupMember              `json:"Users"`
	PolicyGroups []PolicyRef                `json:"PolicyGroup"`
	Extra        map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (g *UserGroupInfo) UnmarshalJSON(data []byte) error {
	type plain UserGroupInfo
	return decodeKeepingExtra(data, (*plain)(g), &g.Extra)
}

// GroupMember is a backup user in a user group.
type GroupMember struct {
	LoginName string `json:"LoginName"`
	Owner     string `json:"Owner"`
	UserID    string `json:"UserId"`
}

// PolicyRef is a policy group a user group uses.
type PolicyRef struct {
	ID string `json:"ID"`
}

// ListUserGroups lists the user groups.
//
// Wire: POST /obs/api/json/ListUserGroups.do
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListUserGroups(ctx context.Context, req *ListUserGroupsRequest) ([]UserGroupInfo, error) {
	return ahsayListUserGroups.call(ctx, c, req)
}

// ListSystemUsersRequest filters ListSystemUsers; it may be nil.
type ListSystemUsersRequest struct {
	RoleOnly bool   `json:"RoleOnly,omitempty"` // only Name and Role
	Host     string `json:"Host,omitempty"`     // the AhsayCBS URL, when called through a Redirector
}

// SystemUser is a system user of the server.
type SystemUser struct {
	Name                     string                     `json:"Name"`
	Role                     string                     `json:"Role"`   // ADMIN, READ_ONLY_ADMIN, RESELLER or API_ONLY
	Status                   string                     `json:"Status"` // ENABLED or SUSPENDED
	HashedPwd                Secret                     `json:"HashedPwd"`
	IsShowRebrandingPages    Bool                       `json:"IsShowRebrandingPages"`
	IsSendConsolidatedReport Bool                       `json:"IsSendConsolidatedReport"`
	IsFreeTrialOfferAllowed  Bool                       `json:"IsFreeTrialOfferAllowed"`
	Extra                    map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the rest in Extra.
func (u *SystemUser) UnmarshalJSON(data []byte) error {
	type plain SystemUser
	return decodeKeepingExtra(data, (*plain)(u), &u.Extra)
}

// ListSystemUsers lists the server's system users.
//
// Wire: POST /obs/api/json/ListSystemUsers.do
//
// Answer: {"Status":"OK","Data":[...]} (or one object); without Data, an empty list
func (c *AhsayClient) ListSystemUsers(ctx context.Context, req *ListSystemUsersRequest) ([]SystemUser, error) {
	return ahsayListSystemUsers.call(ctx, c, req)
}

// hasKeyBesides reports whether m has a key other than those named.
func hasKeyBesides(m map[string]json.RawMessage, names ...string) bool {
	for k := range m {
		if !slices.Contains(names, k) {
			return true
		}
	}
	return false
}
