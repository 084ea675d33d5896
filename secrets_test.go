package backupapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const userPwd = "User-Pa55word!"

// echo answers with the request body inside an HTML error page or a
// truncated JSON answer: the worst case for leaking what was sent.
func echo(status int, contentType string, cut int) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		if cut > 0 && len(b) > cut {
			b = b[:cut]
		}
		resp := httpmock.NewBytesResponse(status, append([]byte("<html>"), b...))
		if contentType == "application/json" {
			resp = httpmock.NewBytesResponse(status, b)
		}
		resp.Header.Set("Content-Type", contentType)
		return resp, nil
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	responders := map[string]httpmock.Responder{
		"html echo":           echo(500, "text/html", 0),
		"truncated echo":      echo(200, "application/json", 60),
		"cut inside password": echo(200, "application/json", len(`{"SysUser":"system","SysPwd":"s3cret`)),
		"error answer":        jsonResponder(200, `{"Status":"Error","Message":"[Error] Incorrect password","ExptType":"x"}`),
		"reset":               reset,
		"503":                 statusResponder(503, ""),
	}
	calls := map[string]func(context.Context, *AhsayClient) error{
		"AuthUser": func(ctx context.Context, c *AhsayClient) error {
			return c.AuthUser(ctx, AuthUserRequest{UserRef: obm, Password: userPwd})
		},
		"AddUser": func(ctx context.Context, c *AhsayClient) error {
			return c.AddUser(ctx, &AddUserRequest{UserRef: obm, Password: userPwd})
		},
		"UpdateUser": func(ctx context.Context, c *AhsayClient) error {
			return c.UpdateUser(ctx, &UpdateUserRequest{UserRef: obm, Password: Ptr(Secret(userPwd))})
		},
		"ListUsers": func(ctx context.Context, c *AhsayClient) error { _, err := c.ListUsers(ctx, nil); return err },
		"AllUsers": func(ctx context.Context, c *AhsayClient) error {
			for _, err := range c.AllUsers(ctx, nil) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"GetUser": func(ctx context.Context, c *AhsayClient) error { _, err := c.GetUser(ctx, obm); return err },
		"Do": func(ctx context.Context, c *AhsayClient) error {
			return c.Do(ctx, "X", map[string]string{"Password": userPwd}, nil)
		},
	}
	for rname, responder := range responders {
		for cname, call := range calls {
			t.Run(cname+" with "+rname, func(t *testing.T) {
				var logs bytes.Buffer
				logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				c, mt := newMockAhsay(t, WithLogger(logger))
				mt.RegisterNoResponder(responder)
				err := call(context.Background(), c)
				require.Error(t, err)
				require.NotEmpty(t, logs.String(), "debug logging is on")
				var e *Error
				require.ErrorAs(t, err, &e)
				for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err),
					fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", *e), logs.String()} {
					assertNoSecret(t, text)
				}
			})
		}
	}
}

func TestFormattedValuesHideSecrets(t *testing.T) {
	c, _ := newMockAhsay(t)
	values := []any{
		c, *c,
		AuthUserRequest{UserRef: obm, Password: userPwd},
		&AddUserRequest{UserRef: obm, Password: userPwd},
		&UpdateUserRequest{Password: Ptr(Secret(userPwd))},
		UserDetail{Password: userPwd, AccessToken: userPwd, ProxySettings: &ProxySettings{Password: userPwd},
			EmailReportSettings: &EmailReportSettings{SMTPAuthPwd: userPwd}, ForgotPasswordSettings: &ForgotPasswordSettings{Token: userPwd},
			SecuritySettings: &SecuritySettings{RecoverySettings: &RecoverySettings{Token: userPwd}}},
		EmailReportSettings{SMTPAuthPwd: userPwd}, ProxySettings{Password: userPwd}, &RecoverySettings{Token: userPwd},
	}
	for i, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			t.Run(fmt.Sprintf("value %d with %s", i, verb), func(t *testing.T) {
				assertNoSecret(t, fmt.Sprintf(verb, v))
			})
		}
	}
	assert.Contains(t, c.String(), "system", "the system user is shown")
	assert.Contains(t, c.String(), "***")
}

func TestSecretIsStillSentAndDecoded(t *testing.T) {
	c, mt := newMockAhsay(t)
	var got capture
	mt.RegisterResponder("POST", testBase+"/obs/api/json/AuthUser.do", got.responder(t, okStatus))
	require.NoError(t, c.AuthUser(context.Background(), AuthUserRequest{UserRef: obm, Password: userPwd}))
	assert.Equal(t, userPwd, got.bodies[0]["Password"])
	assert.Equal(t, testSysPwd, got.bodies[0]["SysPwd"])
}

func assertNoSecret(t *testing.T, text string) {
	t.Helper()
	for _, s := range []string{testSysPwd, userPwd, "s3cret"} {
		assert.False(t, strings.Contains(text, s), "secret %q leaked in: %s", s, text)
	}
}
