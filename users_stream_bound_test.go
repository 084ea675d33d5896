package backupapi

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAllUsersBoundsWhatOneRecordDecodesTo: AllUsers applies the byte
// cap to each user record, and so the decoded-memory bound too: one
// record of many tiny contacts ({} each a whole Contact) is an error for
// that record, not gigabytes of Contacts.
func TestAllUsersBoundsWhatOneRecordDecodesTo(t *testing.T) {
	const limit = 1 << 20
	c, mt := newMockAhsay(t, WithMaxResponseBytes(limit))
	record := `{"LoginName":"huge","Contact":[` + strings.Repeat(`{},`, limit/3-100) + `{}]}`
	body := `{"Status":"OK","User":[{"LoginName":"alice"},` + record + `]}`
	mt.RegisterResponder("POST", listPath, jsonResponder(200, body))
	var names []string
	var last error
	for u, err := range c.AllUsers(context.Background(), nil) {
		if err != nil {
			last = err
			break
		}
		names = append(names, u.LoginName)
	}
	assert.Equal(t, []string{"alice"}, names, "the record before it is yielded")
	require.Error(t, last)
	assert.ErrorIs(t, last, ErrUnexpectedResponse)
	assert.ErrorContains(t, last, "more than the client decodes")
}
