package backupapi

import "context"

// AddContact adds one contact to a backup user (AddContact.do). A contact
// whose e-mail the user already has fails with ErrAlreadyExists.
func (c *AhsayClient) AddContact(ctx context.Context, ref UserRef, contact Contact) error {
	req := struct {
		UserRef
		NewContact Contact `json:"NewContact"`
	}{ref, contact}
	var out envelope
	return c.call(ctx, "AddContact", "/obs/api/json/AddContact.do", false, req, &out)
}

// AppendContacts adds contacts to a backup user's list (UpdateUser with
// AppendContact "Y"). A duplicate e-mail fails with ErrAlreadyExists.
func (c *AhsayClient) AppendContacts(ctx context.Context, ref UserRef, contacts ...Contact) error {
	return c.updateUser(ctx, "AppendContacts", &UpdateUserRequest{UserRef: ref, AppendContact: "Y", Contact: nonNil(contacts)})
}

// ReplaceContacts replaces all of a backup user's contacts with contacts
// (UpdateUser with AppendContact "N"); with none, the list is emptied.
func (c *AhsayClient) ReplaceContacts(ctx context.Context, ref UserRef, contacts ...Contact) error {
	return c.updateUser(ctx, "ReplaceContacts", &UpdateUserRequest{UserRef: ref, AppendContact: "N", Contact: nonNil(contacts)})
}

// ChangeContacts replaces the contacts old with new (UpdateUser with
// ChangeContact "Y"). Take old from GetUser's ContactList.
func (c *AhsayClient) ChangeContacts(ctx context.Context, ref UserRef, old, new []Contact) error {
	return c.updateUser(ctx, "ChangeContacts", &UpdateUserRequest{UserRef: ref, ChangeContact: "Y", OldContact: nonNil(old), NewContact: nonNil(new)})
}

// nonNil makes an empty list encode as [] rather than be left out.
func nonNil(cs []Contact) []Contact {
	if cs == nil {
		return []Contact{}
	}
	return cs
}
