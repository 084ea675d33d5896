package backupapitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
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

func TestEveryAhsayOperationNameIsServed(t *testing.T) {
	s := NewUnstartedAhsayServer()
	for _, op := range AhsayOps {
		assert.NotNil(t, s.endpoint(op), op)
	}
}
