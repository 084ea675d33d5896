package backupapi

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOKWithExptTypeIsAnError(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/RunSingleUserRebuild.do",
		jsonResponder(200, `{"Status":"OK","Message":"Something new","ExptType":"x.y"}`))
	err := c.RunSingleUserRebuild(context.Background(), &RebuildRequest{UserRef: obm, BackupSetID: "1"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Something new", e.Message)
	for _, s := range allSentinels {
		assert.NotErrorIs(t, err, s, "an unknown message matches no sentinel")
	}
}

func TestDoDecodesTheWholeAnswer(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/2/ListBackupSets.do",
		jsonResponder(200, `{"Status":"OK","Data":[{"ID":"1"}]}`))
	var out struct {
		Data []struct{ ID string }
	}
	require.NoError(t, c.Do(context.Background(), "/obs/api/json/2/ListBackupSets.do", nil, &out))
	assert.Equal(t, "1", out.Data[0].ID)
}

func TestDoRefusesARequestThatIsNotAnObject(t *testing.T) {
	c, _ := newMockAhsay(t)
	err := c.Do(context.Background(), "X", []int{1}, nil)
	assert.ErrorIs(t, err, ErrInvalidRequest)
}

// TestDoSendsOnlyTheClientsCredentials: a body that sets SysUser or SysPwd
// is refused before anything is sent, and the error does not show it.
func TestDoSendsOnlyTheClientsCredentials(t *testing.T) {
	cases := []struct {
		name string
		in   any
	}{
		{"SysPwd in a map", map[string]any{"SysPwd": "Callers-Pwd-1", "LoginName": "u"}},
		{"SysUser in a map", map[string]any{"SysUser": "other-admin", "LoginName": "u"}},
		{"another letter case", map[string]string{"syspwd": "Callers-Pwd-1"}},
		{"in a struct", struct {
			SysUser string
			SysPwd  string
		}{"other-admin", "Callers-Pwd-1"}},
		{"raw JSON", json.RawMessage(`{"LoginName":"u","SysPwd":"Callers-Pwd-1"}`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t) // any request fails the test
			err := c.Do(context.Background(), "GetUser", tc.in, nil)
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.Contains(t, err.Error(), "the client sends its own SysUser and SysPwd")
			assert.NotContains(t, err.Error(), "Callers-Pwd-1")
			assert.Zero(t, mt.GetTotalCallCount())
		})
	}
	t.Run("a body without them gets the client's", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		var got capture
		mt.RegisterResponder("POST", testBase+"/obs/api/json/GetUser.do", got.responder(t, jsonResponder(200, `{"Status":"OK"}`)))
		require.NoError(t, c.Do(context.Background(), "GetUser", map[string]string{"LoginName": "u"}, nil))
		require.Len(t, got.bodies, 1)
		assert.Equal(t, map[string]any{"SysUser": testSysUser, "SysPwd": testSysPwd, "LoginName": "u"}, got.bodies[0])
	})
}
