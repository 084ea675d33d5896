package exporter

import (
	dto "github.com/prometheus/client_model/go"
)

// userPairs finds, among the samples of an AhsayCBS refresh's users
// section, the "user" label pair of a user, so that the user's set
// samples share the pair its user samples hold. It holds nothing per
// user: it looks in the samples themselves, near where the last user was
// found, since both walks list the users in the server's order (the sets
// in completion order, a few users apart at most).
type userPairs struct {
	samples []sample // the users section's samples
	perUser int      // samples a user has in it, one after another
	window  int      // users either side of next to look at
	next    int      // the sample where the next user most likely starts
}

// newUserPairs reads the users section of b, whose users have perUser
// samples each; window is how far (in users) the sets' order may stray
// from the listing's.
func newUserPairs(b *builder, perUser, window int) *userPairs {
	u := &userPairs{perUser: perUser, window: window}
	if sp, ok := b.s.sections[usersSection]; ok {
		u.samples = b.s.samples[sp.from:sp.to]
	}
	return u
}

// find is the user's pair, or nil when the users section does not have
// the user within the window (a user added between the two listings, or
// none read): the caller then makes a pair of its own.
func (u *userPairs) find(owner, login string) *dto.LabelPair {
	users := len(u.samples) / max(1, u.perUser)
	at := u.next / max(1, u.perUser)
	for d := 0; d <= u.window; d++ {
		if p := u.at(at+d, users, owner, login); p != nil {
			return p
		}
		if d > 0 {
			if p := u.at(at-d, users, owner, login); p != nil {
				return p
			}
		}
	}
	return nil
}

// at is the pair of the i-th user of the section when it is the user's,
// and moves the guess of the next user past it.
func (u *userPairs) at(i, users int, owner, login string) *dto.LabelPair {
	if i < 0 || i >= users {
		return nil
	}
	p := u.match(i*u.perUser, owner, login)
	if p != nil {
		u.next = (i + 1) * u.perUser
	}
	return p
}

// match is the user pair of the sample at i when it is the user's.
func (u *userPairs) match(i int, owner, login string) *dto.LabelPair {
	labels := u.samples[i].labels
	p := pairNamed(labels, "user")
	if p == nil || p.GetValue() != login {
		return nil
	}
	if o := pairNamed(labels, "owner"); o == nil || o.GetValue() != owner {
		return nil
	}
	return p
}
