package backupapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/internal/redact"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAHugeSecretCostsMemoryInProportion: a caller may hand the SDK a
// secret of any size (a 40 MB password read from a file; 16 MiB here). A call with it,
// and the scrubbing of every field of the error the call ends with, cost
// memory in proportion to the secret and the request (which carries it),
// not to the secret times the fields scrubbed and the forms of it searched.
func TestAHugeSecretCostsMemoryInProportion(t *testing.T) {
	const size = 16 << 20
	secret := strings.Repeat("p", size)
	cases := []struct {
		name string
		call func(t *testing.T) error
	}{
		{"NewAhsayClient, and a call refused with a message", func(t *testing.T) error {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder("POST", listPath, jsonResponder(200, `{"Status":"Error","Message":"Incorrect system username/password","ExptType":"x"}`))
			c, err := NewAhsayClient(testBase, testSysUser, secret, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, 0, 0))
			require.NoError(t, err)
			_, err = c.ListUsers(context.Background(), nil)
			return err
		}},
		{"NewAhsayClient, and an answer that is an HTML page (quoted in an excerpt)", func(t *testing.T) error {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder("POST", listPath, func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(200, "<html><body>Maintenance "+strings.Repeat("p", 100)+"</body></html>")
				resp.Header.Set("Content-Type", "text/html")
				return resp, nil
			})
			c, err := NewAhsayClient(testBase, testSysUser, secret, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, 0, 0))
			require.NoError(t, err)
			_, err = c.ListUsers(context.Background(), nil)
			return err
		}},
		{"NewXClarityClient, and a login refused with messages", func(t *testing.T) error {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder("POST", xcBase+"/sessions", jsonResponder(401,
				`{"result":"failed","messages":[{"id":"FQXHMSE0001J","text":"Invalid credentials","explanation":"no","recovery":{"text":"again","URL":"u"}}]}`))
			c, err := NewXClarityClient(xcBase, xcUser, secret, WithHTTPClient(&http.Client{Transport: mt}), WithRetry(0, 0, 0))
			require.NoError(t, err)
			_, err = c.GetJob(context.Background(), "17")
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			got := allocated(func() { err = tc.call(t) })
			require.Error(t, err)
			t.Logf("%d bytes allocated (%.1f times the secret)", got, float64(got)/size)
			// What the secret must cost: the client's credentials (the
			// Basic value, the encoded SysPwd), the request that carries
			// it (encoded), and on the error path one scan of that request
			// for the secrets it holds (encoding/json's decoder buffer).
			assert.LessOrEqual(t, got, uint64(12*size), "bytes allocated for a %d-byte secret", size)
		})
	}
}

// TestMaskingASecretTheTextRepeatsIsLinear: a text that holds a periodic
// secret many times over, overlapping (a server that echoed "aaaa…"),
// costs memory in proportion to the text: the overlapping occurrences are
// masked as one run as they are found, not listed one by one.
func TestMaskingASecretTheTextRepeatsIsLinear(t *testing.T) {
	const size = 1 << 20
	secret := strings.Repeat("a", 4<<10)
	text := strings.Repeat("a", size)
	var out string
	got := allocated(func() { out = redact.Literals(text, secret) })
	assert.Equal(t, redact.Mask, out)
	t.Logf("%d bytes allocated (%.1f times the text)", got, float64(got)/size)
	assert.LessOrEqual(t, got, uint64(4*size), "bytes allocated to mask a %d-byte text", size)
}
