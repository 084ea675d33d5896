package backupapitest

import (
	"slices"
	"strings"
)

// allUsersGroupID is the fake's default user group, "All Users", which
// every user belongs to: ListUsers names it in each user's
// UserGroupIDList, as the reference's ListUsers example does, and
// ListUserGroups lists it with every user as a member.
const allUsersGroupID = "1687069108451"

// membersOf returns a user group's login names, sorted.
func (s *AhsayServer) membersOf(g AhsayGroup) []string {
	if g.ID != allUsersGroupID {
		return g.Members
	}
	var out []string
	for _, u := range s.users {
		out = append(out, u.LoginName)
	}
	slices.Sort(out)
	return out
}

// groupsOf renders the user groups a user belongs to, as ListUsers does.
func (s *AhsayServer) groupsOf(u *AhsayUser) []map[string]any {
	out := []map[string]any{}
	for _, g := range s.mon.userGroups {
		if g.ID == allUsersGroupID || slices.ContainsFunc(g.Members, func(m string) bool { return strings.EqualFold(m, u.LoginName) }) {
			out = append(out, map[string]any{"ShowLink": false, "UserGroupID": g.ID, "UserGroupName": g.Name})
		}
	}
	return out
}
