package backupapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

// secretCarryingCalls are AhsayCBS calls whose requests carry a secret
// besides the client's, and calls that send none, keyed by name.
func secretCarryingCalls() map[string]func(context.Context, *AhsayClient) error {
	return map[string]func(context.Context, *AhsayClient) error{
		"AuthUser": func(ctx context.Context, c *AhsayClient) error {
			return c.AuthUser(ctx, &AuthUserRequest{UserRef: obm, Password: userPwd})
		},
		"AddUser": func(ctx context.Context, c *AhsayClient) error {
			return c.AddUser(ctx, &AddUserRequest{UserRef: obm, Password: userPwd})
		},
		"UpdateUser": func(ctx context.Context, c *AhsayClient) error {
			return c.UpdateUser(ctx, &UpdateUserRequest{UserRef: obm, Password: Ptr(Secret(userPwd))})
		},
		"GetUser": func(ctx context.Context, c *AhsayClient) error { _, err := c.GetUser(ctx, obm); return err },
		"AllUsers": func(ctx context.Context, c *AhsayClient) error {
			for _, err := range c.AllUsers(ctx, nil) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"Do with a plain map": func(ctx context.Context, c *AhsayClient) error {
			return c.Do(ctx, "X", map[string]string{"password": userPwd}, nil)
		},
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
	calls := secretCarryingCalls()
	calls["ListUsers"] = func(ctx context.Context, c *AhsayClient) error { _, err := c.ListUsers(ctx, nil); return err }
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
		License{Key: userPwd}, &SystemUser{HashedPwd: userPwd}, Destination{Password: userPwd},
		&BackupSetDetail{DestinationSettings: &DestinationSettings{DestinationList: []Destination{{Password: userPwd}}}},
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
	require.NoError(t, c.AuthUser(context.Background(), &AuthUserRequest{UserRef: obm, Password: userPwd}))
	assert.Equal(t, userPwd, got.bodies[0]["Password"])
	assert.Equal(t, testSysPwd, got.bodies[0]["SysPwd"])
}

func assertNoSecret(t *testing.T, text string) {
	t.Helper()
	for _, s := range []string{testSysPwd, userPwd, "s3cret"} {
		assert.False(t, strings.Contains(text, s), "secret %q leaked in: %s", s, text)
	}
}

// echoEverything answers with the whole request — body and headers — in
// every readable field of the product's error answer, as a server that
// quotes what it refused might.
func echoEverything(status int, ahsayStatus string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		var headers strings.Builder
		_ = r.Header.Write(&headers)
		text := string(b) + " " + headers.String()
		html := strings.NewReplacer(`"`, "&quot;", "&", "&amp;", "<", "&lt;").Replace(text)
		answer := map[string]any{
			// AhsayCBS shape, with a Status the caller chooses ("OK" with
			// a Message and an ExptType is an error too).
			"Status": ahsayStatus, "Message": text, "ExptType": html,
			// XClarity shape.
			"result": "failed",
			"messages": []map[string]any{{"id": text, "text": text, "explanation": html,
				"recovery": map[string]string{"text": text, "URL": "https://x/?q=" + text}}},
		}
		out, _ := json.Marshal(answer)
		resp := httpmock.NewBytesResponse(status, out)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func TestEchoedSecretsAreMaskedInEveryField(t *testing.T) {
	const passphrase = "Phrase-Secret-77aa"
	ahsayCalls := secretCarryingCalls()
	for _, status := range []int{200, 400, 500} {
		for _, ahsayStatus := range []string{"Error", "OK"} {
			for name, call := range ahsayCalls {
				t.Run(fmt.Sprintf("ahsay %s, HTTP %d, Status %s", name, status, ahsayStatus), func(t *testing.T) {
					var logs bytes.Buffer
					c, mt := newMockAhsay(t, WithRetry(0, 0, 0), WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
					mt.RegisterNoResponder(echoEverything(status, ahsayStatus))
					err := call(context.Background(), c)
					require.Error(t, err)
					assertErrorHidesSecrets(t, err, logs.String())
				})
			}
		}
	}

	xcCalls := map[string]func(context.Context, *XClarityClient) error{
		"ListBackups": func(ctx context.Context, c *XClarityClient) error { _, err := c.ListBackups(ctx); return err },
		"ProcessBackup": func(ctx context.Context, c *XClarityClient) error {
			_, err := c.ProcessBackup(ctx, &ProcessBackupRequest{Passphrase: Secret(passphrase)})
			return err
		},
		"CopyBackup": func(ctx context.Context, c *XClarityClient) error {
			_, err := c.CopyBackup(ctx, &TransferBackupRequest{UUID: "u", Destination: "internal"})
			return err
		},
		"Do": func(ctx context.Context, c *XClarityClient) error {
			return c.Do(ctx, "PUT", "/x", map[string]string{"pwd": userPwd}, nil)
		},
	}
	for _, status := range []int{200, 400, 401, 500} {
		for name, call := range xcCalls {
			for _, mode := range []string{"session", "basic", "login echoes"} {
				t.Run(fmt.Sprintf("xclarity %s, HTTP %d, %s", name, status, mode), func(t *testing.T) {
					var logs bytes.Buffer
					opts := []Option{WithRetry(0, 0, 0), WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}
					if mode == "basic" {
						opts = append(opts, WithBasicAuth())
					}
					c, m := newMockXC(t, opts...)
					if mode == "login echoes" {
						m.mt.RegisterResponder("POST", xcBase+"/sessions", echoEverything(status, "Error"))
					}
					m.mt.RegisterNoResponder(echoEverything(status, "Error"))
					err := call(context.Background(), c)
					require.Error(t, err)
					assertErrorHidesSecrets(t, err, logs.String(), xcPassword, passphrase, "sess-1", "csrf-1",
						"QURNSU46THhjYS1QYTU1IQ==") // base64 of ADMIN:Lxca-Pa55!
				})
			}
		}
	}
}

// assertErrorHidesSecrets checks every rendering of err, every field of
// every *Error in its chain, and the logs.
func assertErrorHidesSecrets(t *testing.T, err error, logs string, more ...string) {
	t.Helper()
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs}
	for e := err; e != nil; e = errors.Unwrap(e) {
		texts = append(texts, e.Error(), fmt.Sprintf("%#v", e))
		if ae, ok := e.(*Error); ok {
			texts = append(texts, fmt.Sprintf("%+v", *ae), fmt.Sprintf("%#v", *ae), ae.Message, ae.ExptType, ae.Result)
			for _, m := range ae.Messages {
				texts = append(texts, fmt.Sprintf("%#v", m))
			}
		}
	}
	for _, text := range texts {
		assertNoSecret(t, text)
		for _, s := range more {
			assert.NotContains(t, text, s)
		}
	}
}
