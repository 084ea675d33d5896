package backupapi

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorTableRows checks every row of the mapping table once, through
// the classifier that uses it.
func TestErrorTableRows(t *testing.T) {
	for i, m := range errorTable {
		name := fmt.Sprintf("row %d: %s %q status %d event %d -> %v", i, m.source, m.text, m.status, m.event, m.sentinel)
		t.Run(name, func(t *testing.T) {
			switch {
			case m.text != "":
				msg := "[Origin.Something] prefix " + m.text + " suffix"
				assert.Equal(t, m.sentinel, classifyText(m.source, msg))
			case m.status != 0:
				assert.Equal(t, m.sentinel, classifyStatus(m.status))
			case m.event != 0:
				assert.Equal(t, m.sentinel, classifyEvent(m.event))
			default:
				t.Fatalf("row %d has no key", i)
			}
		})
	}
}

func TestAhsayMessagesAreClassifiedByMessageNotExptType(t *testing.T) {
	cases := []struct {
		msg, expt string
		want      error
	}{
		{"[UserCacheManager.NoSuchUserExpt] User ‘x’ not found.", "com.ahsay.obs.core.dbs.ai", ErrNotFound},
		{"[UserCacheManager.NoSuchUserExpt] User ‘x’ not found.", "com.ahsay.obs.core.dbs.zz", ErrNotFound},
		{"Your password has expired and must be changed. Please update in web console or by UpdateSysUser API", "x", ErrAuthentication},
		{"[Error] Parameter Enabled is null / empty!", "", ErrInvalidRequest},
		{"Contact already exists <a@b>", "", ErrAlreadyExists},
		{"Something nobody has seen", "com.ahsay.obs.core.dbs.ai", nil},
	}
	for _, tc := range cases {
		t.Run(tc.msg+" with "+tc.expt, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", testBase+"/obs/api/json/RemoveUser.do",
				jsonResponder(200, fmt.Sprintf(`{"Status":"Error","Message":%q,"ExptType":%q}`, tc.msg, tc.expt)))
			err := c.RemoveUser(context.Background(), obm)
			var e *Error
			require.ErrorAs(t, err, &e)
			if tc.want == nil {
				assert.Empty(t, e.Kinds())
				return
			}
			assert.Equal(t, []error{tc.want}, e.Kinds())
		})
	}
}
