package backupapitest_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheBearerSchemeIsCaseInsensitive(t *testing.T) {
	c := newControlled(t, "")
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		t.Run(scheme, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/_backupapi/", nil)
			req.Header.Set("Authorization", scheme+" "+controlToken)
			rec := httptest.NewRecorder()
			c.control.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusOK, rec.Code, "RFC 9110 §11.1: the scheme is case-insensitive")
		})
	}
	t.Run("the token itself is not", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodGet, "/_backupapi/", nil)
		req.Header.Set("Authorization", "Bearer "+strings.ToUpper(controlToken))
		rec := httptest.NewRecorder()
		c.control.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
	})
}

func TestEveryControlBodyOver32MiBIs413(t *testing.T) {
	c := newControlled(t, "")
	huge := `{"x":"` + strings.Repeat("x", 33<<20) + `"}`
	for _, path := range []string{"/_backupapi/seed", "/_backupapi/reset", "/_backupapi/faults", "/_backupapi/clock", "/_backupapi/jobs"} {
		t.Run(path, func(t *testing.T) {
			code, out := c.call(t, http.MethodPost, path, huge)
			assert.Equal(t, http.StatusRequestEntityTooLarge, code, out)
		})
	}
}

func TestAFaultTheFakeCannotServeIsRefused(t *testing.T) {
	c := newControlled(t, "")
	for _, tc := range []struct{ name, body, says string }{
		{"an informational status, which is not an answer", `{"op":"ListUsers","status":100}`, "status 100"},
		{"101 Switching Protocols", `{"op":"ListUsers","status":101}`, "status 101"},
		{"an oversized body larger than the fake can hold", `{"op":"ListUsers","body":"oversized","size":1099511627776}`, "size 1099511627776"},
		{"a Retry-After that is not whole seconds (it was cut to 0)", `{"op":"ListUsers","status":503,"retryAfter":"500ms"}`, "retryAfter 500ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := c.call(t, http.MethodPost, "/_backupapi/faults", tc.body)
			assert.Equal(t, http.StatusBadRequest, code)
			assert.Contains(t, out["error"], tc.says)
			assert.Empty(t, c.ahsay.Faults())
		})
	}
	t.Run("an oversized body of 1 GiB is still allowed", func(t *testing.T) {
		code, out := c.call(t, http.MethodPost, "/_backupapi/faults", `{"op":"ListUsers","body":"oversized","size":1073741824}`)
		assert.Equal(t, http.StatusOK, code, out)
	})
}

func TestTheShiftedClockNeverGoesBack(t *testing.T) {
	clock := backupapitest.NewShiftedClock()
	before := clock.Now()
	for range 3 {
		clock.Advance(math.MaxInt64) // the second used to wrap 292 years into the past
		now := clock.Now()
		assert.False(t, now.Before(before), "%v is before %v", now, before)
		before = now
	}
}

func TestAdvancingAClockBackPanics(t *testing.T) {
	for name, clock := range map[string]backupapitest.ClockAdvancer{
		"FakeClock":    backupapitest.NewFakeClock(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)),
		"ShiftedClock": backupapitest.NewShiftedClock(),
	} {
		t.Run(name, func(t *testing.T) {
			before := clock.Now()
			assert.PanicsWithValue(t, "backupapitest: "+name+".Advance(-1h0m0s): the clock never goes back", func() { clock.Advance(-time.Hour) })
			assert.False(t, clock.Now().Before(before), "it did not move")
			assert.NotPanics(t, func() { clock.Advance(0) }, "standing still is fine")
		})
	}
}

func TestTheControlClockStaysWithinWhatJSONCanWrite(t *testing.T) {
	last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	clock := backupapitest.NewFakeClock(last)
	h := backupapitest.ControlHandler(backupapitest.ControlConfig{Token: controlToken, Clock: clock})
	call := func(method, body string) (int, map[string]any) {
		req := httptest.NewRequest(method, "/_backupapi/clock", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+controlToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), "a JSON answer, not %q", rec.Body.String())
		return rec.Code, out
	}
	t.Run("an advance past the year 9999 is refused and moves nothing", func(t *testing.T) {
		code, out := call(http.MethodPost, `{"advance":"48h"}`)
		assert.Equal(t, http.StatusBadRequest, code)
		assert.Contains(t, out["error"], "9999")
		assert.Equal(t, last, clock.Now())
	})
	t.Run("a clock moved past it from Go answers an error, not an empty 200", func(t *testing.T) {
		clock.Advance(48 * time.Hour)
		code, out := call(http.MethodGet, "")
		assert.Equal(t, http.StatusInternalServerError, code)
		assert.Contains(t, out["error"], "year")
	})
}

// DELETE /sessions/{id} names the session in its path, and the session ID
// is the JSESSIONID cookie's value: a credential.
func TestTheCallsLogMasksASessionIDInThePath(t *testing.T) {
	lxca := backupapitest.NewUnstartedXClarityServer()
	code, out := post(t, lxca.Handler(), http.MethodPost, "/sessions", map[string]any{"userid": lxca.Username, "password": lxca.Password})
	require.Equal(t, http.StatusOK, code, out)
	id := out["response"].(map[string]any)["session"].(map[string]any)["id"].(string)
	require.NotEmpty(t, id)
	for _, path := range []string{"/sessions/" + id, "/sessions/" + id + "/", "/sessions/no-such-" + id} {
		req := httptest.NewRequest(http.MethodDelete, path, nil)
		req.SetBasicAuth(lxca.Username, lxca.Password)
		lxca.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}
	recorded := lxca.Requests()
	require.Len(t, recorded, 4, "the login and the three closes")
	raw, err := json.Marshal(recorded)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), id)
	assert.Equal(t, "/sessions/***", recorded[1].Path)
}

// Keys that name a key: the licence's Key (a backupapi.Secret), API keys,
// encryption and private keys, credentials.
func TestTheCallsLogMasksEveryKeyNamedAsAKey(t *testing.T) {
	const secret = "TOPSECRET-KEY-7"
	for _, name := range []string{"Key", "LicenseKey", "LicenceKey", "EncryptionKey", "encryption_key", "PrivateKey",
		"apiKey", "api_key", "X-Api-Key", "Credential", "credentials"} {
		t.Run(name, func(t *testing.T) {
			ahsay := backupapitest.NewUnstartedAhsayServer()
			code, _ := post(t, ahsay.Handler(), http.MethodPost, "/obs/api/json/GetLicense.do",
				map[string]any{"SysUser": ahsay.SysUser, "SysPwd": ahsay.SysPwd, name: secret}, name, secret)
			require.Equal(t, http.StatusOK, code)
			raw, err := json.Marshal(ahsay.Requests())
			require.NoError(t, err)
			assert.NotContains(t, string(raw), secret)
		})
	}
	t.Run("a key that names no secret is shown", func(t *testing.T) {
		ahsay := backupapitest.NewUnstartedAhsayServer()
		post(t, ahsay.Handler(), http.MethodPost, "/obs/api/json/GetLicense.do",
			map[string]any{"SysUser": ahsay.SysUser, "SysPwd": ahsay.SysPwd, "DestinationKey": "OBS"})
		assert.Contains(t, ahsay.Requests()[0].Body, `"DestinationKey":"OBS"`)
	})
}

// A share given as a URL may carry its password (sftp://user:pass@host).
func TestTheCallsLogMasksAPasswordInAURL(t *testing.T) {
	const secret = "TOPSECRET-URL-3"
	lxca := backupapitest.NewUnstartedXClarityServer()
	code, out := post(t, lxca.Handler(), http.MethodPut, "/managementServer/data?share=sftp://op:"+secret+"@nas/b",
		map[string]any{"action": "start", "operation": "push", "uuid": "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278",
			"destination": "sftp://op:" + secret + "@nas.example/backups"},
		"Authorization", "Basic QURNSU46UGFzc3cwcmQ=", "Referer", "https://op:"+secret+"@portal.example/")
	require.Equal(t, http.StatusOK, code, out)
	recorded := lxca.Requests()
	require.Len(t, recorded, 1)
	raw, err := json.Marshal(recorded)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), secret)
	assert.Contains(t, recorded[0].Body, `sftp://op:***@nas.example/backups`, "the rest of the URL is shown")
}
