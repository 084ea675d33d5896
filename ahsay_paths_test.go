package backupapi

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachEndpointPicksItsPath(t *testing.T) {
	cases := []struct {
		name string
		opts []Option
		want map[string]string // endpoint -> path
	}{
		{"v2 everywhere by default", nil, map[string]string{
			"AddUser": "/obs/api/json/2/AddUser.do", "UpdateUser": "/obs/api/json/2/UpdateUser.do",
			"ListUsers": "/obs/api/json/2/ListUsers.do", "GetUser": "/obs/api/json/2/GetUser.do"}},
		{"WithAhsayV1 with no name: v1 everywhere", []Option{WithAhsayV1()}, map[string]string{
			"AddUser": "/obs/api/json/AddUser.do", "UpdateUser": "/obs/api/json/UpdateUserProfile.do",
			"ListUsers": "/obs/api/json/ListUsers.do", "GetUser": "/obs/api/json/GetUser.do"}},
		{"WithAhsayV1 for two endpoints only", []Option{WithAhsayV1("GetUser", "ListUsers")}, map[string]string{
			"AddUser": "/obs/api/json/2/AddUser.do", "UpdateUser": "/obs/api/json/2/UpdateUser.do",
			"ListUsers": "/obs/api/json/ListUsers.do", "GetUser": "/obs/api/json/GetUser.do"}},
		{"a 9.6 server has v2 AddUser and UpdateUser only", []Option{WithAhsayVersion("9.6.0.0")}, map[string]string{
			"AddUser": "/obs/api/json/2/AddUser.do", "UpdateUser": "/obs/api/json/2/UpdateUser.do",
			"ListUsers": "/obs/api/json/ListUsers.do", "GetUser": "/obs/api/json/GetUser.do"}},
		{"a 9.1 server has no v2 path", []Option{WithAhsayVersion("9.1")}, map[string]string{
			"AddUser": "/obs/api/json/AddUser.do", "UpdateUser": "/obs/api/json/UpdateUserProfile.do",
			"ListUsers": "/obs/api/json/ListUsers.do", "GetUser": "/obs/api/json/GetUser.do"}},
		{"a 10.1 server has them all", []Option{WithAhsayVersion("v10.1")}, map[string]string{
			"AddUser": "/obs/api/json/2/AddUser.do", "ListUsers": "/obs/api/json/2/ListUsers.do"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newMockAhsay(t, tc.opts...)
			for endpoint, want := range tc.want {
				assert.Equal(t, want, c.path(endpoint), endpoint)
			}
		})
	}
}

func TestA404PageFromAMissingV2PathIsNotNotFound(t *testing.T) {
	notFoundPage := func(ct string) func(*testing.T) {
		return func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+"/obs/api/json/2/GetUser.do", pageResponder(404, ct, "<html><body>404 Not Found</body></html>"))
			_, err := c.GetUser(context.Background(), obm)
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrNotFound, "the user may well exist: the path does not")
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
			assert.Contains(t, err.Error(), "AhsayCBS before 9.7 has no v2 GetUser")
			assert.Contains(t, err.Error(), `WithAhsayV1("GetUser")`)
		}
	}
	t.Run("an HTML page", notFoundPage("text/html"))
	t.Run("a plain-text page", notFoundPage("text/plain"))
	t.Run("a JSON body without Status", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", testBase+"/obs/api/json/2/ListUsers.do", jsonResponder(404, `{"error":"no route"}`))
		_, err := c.ListUsers(context.Background(), nil)
		assert.NotErrorIs(t, err, ErrNotFound)
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.Contains(t, err.Error(), "before 9.7 has no v2 ListUsers")
	})
	t.Run("AhsayCBS's own not-found answer still matches ErrNotFound", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", testBase+"/obs/api/json/2/GetUser.do",
			jsonResponder(200, `{"Status":"Error","Message":"[UserCacheManager.NoSuchUserExpt] User 'obm' not found.","ExptType":"x"}`))
		_, err := c.GetUser(context.Background(), obm)
		assert.ErrorIs(t, err, ErrNotFound)
	})
}

func pageResponder(status int, contentType, body string) func(*http.Request) (*http.Response, error) {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", contentType)
		return resp, nil
	}
}
