package backupapitest

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDecodeBodyAnswersABadBodyAsTheAppliance: every fake XClarity
// handler that reads a JSON body goes through decodeBody, so a body that
// is not JSON gets the one answer (400, the service's message ID) and the
// handler stops; a JSON body is decoded and nothing is answered yet.
func TestDecodeBodyAnswersABadBodyAsTheAppliance(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		msgID  string
		wantOK bool
	}{
		{"a JSON body is decoded", `{"Action":"cancel"}`, "FQXHMSE0400J", true},
		{"not JSON: 400 with the management server's message", `{"Action":`, "FQXHMSE0400J", false},
		{"not JSON: 400 with the job manager's message", `cancel`, "FQXHMJM0400J", false},
		{"no body: 400", ``, "FQXHMSE0400J", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a answer
			var req struct{ Action string }
			ok := decodeBody(httptest.NewRequest("PUT", "/backups", strings.NewReader(tc.body)), &a, &req, tc.msgID)
			assert.Equal(t, tc.wantOK, ok)
			if tc.wantOK {
				assert.Equal(t, "cancel", req.Action)
				assert.Zero(t, a.status)
				assert.Zero(t, a.body.Len())
				return
			}
			assert.Equal(t, 400, a.status)
			var got struct {
				Result   string `json:"result"`
				Messages []struct {
					ID string `json:"id"`
				} `json:"messages"`
			}
			if assert.NoError(t, json.Unmarshal(a.body.Bytes(), &got)) && assert.Len(t, got.Messages, 1) {
				assert.Equal(t, "failed", got.Result)
				assert.Equal(t, tc.msgID, got.Messages[0].ID)
			}
		})
	}
}
