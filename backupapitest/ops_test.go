package backupapitest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnUnknownOperationNameFailsLoudly(t *testing.T) {
	ahsay := NewUnstartedAhsayServer()
	xc := NewUnstartedXClarityServer()
	cases := []struct {
		name string
		call func()
	}{
		{"AhsayServer.Inject with a typo", func() { ahsay.Inject("AddUsers", Fault{Status: 503}) }},
		{"AhsayServer.Calls with a typo", func() { ahsay.Calls("AddUsers") }},
		{"XClarityServer.Inject with a typo", func() { xc.Inject("ListBackup", Fault{Status: 503}) }},
		{"XClarityServer.Calls with another product's name", func() { xc.Calls(OpAddUser) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.PanicsWithValue(t, panicText(tc.call), tc.call)
			assert.Contains(t, panicText(tc.call), "unknown operation")
		})
	}
	assert.NotPanics(t, func() { ahsay.Inject(OpAddUser, Fault{Status: 503}) })
	assert.NotPanics(t, func() { xc.Inject(OpGetJobs, Fault{Status: 503}) })
}

func panicText(f func()) (text any) {
	defer func() { text = recover() }()
	f()
	return nil
}

func TestEveryAhsayOperationIsServedAtAnEndpoint(t *testing.T) {
	s := NewUnstartedAhsayServer()
	// Each Op's endpoint and, where the endpoint serves several, the body
	// that names it.
	bodies := map[string]struct{ endpoint, body string }{
		OpSendForgotPasswordEmail: {"SendForgotPwdEmail", `{}`},
		OpAppendContacts:          {"UpdateUser", `{"AppendContact":"Y"}`},
		OpReplaceContacts:         {"UpdateUserProfile", `{"AppendContact":"N"}`},
		OpChangeContacts:          {"UpdateUser", `{"ChangeContact":"Y"}`},
		OpCancelPendingBackup:     {"RunBackup", `{"CancelBackup":true}`},
	}
	for _, op := range AhsayOps {
		t.Run(op, func(t *testing.T) {
			at, ok := bodies[op]
			if !ok {
				at.endpoint, at.body = op, `{}`
			}
			assert.NotNil(t, s.endpoint(at.endpoint), "served at %s.do", at.endpoint)
			var raw map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(at.body), &raw))
			assert.Equal(t, op, ahsayOp(at.endpoint, ahsayRequest{raw}))
		})
	}
}
