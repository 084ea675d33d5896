package backupapitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUsersWhoseOwnerAndLoginJoinAlikeStayApart: the fake keys a user by
// its owner and login name as a pair, so that no two pairs collide
// however a separator would join them.
func TestUsersWhoseOwnerAndLoginJoinAlikeStayApart(t *testing.T) {
	cases := []struct {
		name string
		a, b AhsayUser
	}{
		{"a slash in the login against a slash in the owner",
			AhsayUser{Owner: "a", LoginName: "b/c", Alias: "first"}, AhsayUser{Owner: "a/b", LoginName: "c", Alias: "second"}},
		{"the same, with an owner compared without case",
			AhsayUser{Owner: "a", LoginName: "b/c", Alias: "first"}, AhsayUser{Owner: "A/B", LoginName: "c", Alias: "second"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := NewUnstartedAhsayServer()
			s.SeedUser(tc.a)
			s.SeedUser(tc.b)
			for _, want := range []AhsayUser{tc.a, tc.b} {
				got, ok := s.User(want.Owner, want.LoginName)
				require.True(t, ok, "%s of %q", want.LoginName, want.Owner)
				assert.Equal(t, want.Alias, got.Alias, "%s of %q is its own user", want.LoginName, want.Owner)
			}
			assert.Len(t, s.users, 2)
		})
	}
}
