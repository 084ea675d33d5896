package backupapi

import "context"

// AddContactRequest adds one contact to a backup user.
type AddContactRequest struct {
	UserRef
	Contact Contact `json:"NewContact"`
}

// AddContact adds one contact to a backup user. A contact whose e-mail the
// user already has fails with ErrAlreadyExists.
//
// Wire: POST /obs/api/json/AddContact.do
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) AddContact(ctx context.Context, req *AddContactRequest) error {
	return ahsayAddContact.do(ctx, c, req)
}

// ContactsRequest is a backup user's contacts for AppendContacts and
// ReplaceContacts.
type ContactsRequest struct {
	UserRef
	Contacts []Contact
}

func (r *ContactsRequest) appendWire() any {
	return &UpdateUserRequest{UserRef: r.UserRef, AppendContact: "Y", Contact: nonNil(r.Contacts)}
}

func (r *ContactsRequest) replaceWire() any {
	return &UpdateUserRequest{UserRef: r.UserRef, AppendContact: "N", Contact: nonNil(r.Contacts)}
}

// AppendContacts adds contacts to a backup user's list (UpdateUser with
// AppendContact "Y"). A duplicate e-mail fails with ErrAlreadyExists.
//
// Wire: POST /obs/api/json/2/UpdateUser.do (v1: /obs/api/json/UpdateUserProfile.do)
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) AppendContacts(ctx context.Context, req *ContactsRequest) error {
	return ahsayAppendContacts.do(ctx, c, req)
}

// ReplaceContacts replaces all of a backup user's contacts (UpdateUser
// with AppendContact "N"); with none, the list is emptied.
//
// Wire: POST /obs/api/json/2/UpdateUser.do (v1: /obs/api/json/UpdateUserProfile.do)
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) ReplaceContacts(ctx context.Context, req *ContactsRequest) error {
	return ahsayReplaceContacts.do(ctx, c, req)
}

// ChangeContactsRequest replaces some of a backup user's contacts.
type ChangeContactsRequest struct {
	UserRef
	Old []Contact // as GetUser's ContactList has them
	New []Contact
}

func (r *ChangeContactsRequest) wire() any {
	return &UpdateUserRequest{UserRef: r.UserRef, ChangeContact: "Y", OldContact: nonNil(r.Old), NewContact: nonNil(r.New)}
}

// ChangeContacts replaces the contacts Old with New (UpdateUser with
// ChangeContact "Y").
//
// Wire: POST /obs/api/json/2/UpdateUser.do (v1: /obs/api/json/UpdateUserProfile.do)
//
// Answer: {"Status":"OK"}
func (c *AhsayClient) ChangeContacts(ctx context.Context, req *ChangeContactsRequest) error {
	return ahsayChangeContacts.do(ctx, c, req)
}

// nonNil makes an empty list encode as [] rather than be left out.
func nonNil(cs []Contact) []Contact {
	if cs == nil {
		return []Contact{}
	}
	return cs
}
