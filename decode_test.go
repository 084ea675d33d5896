package backupapi

import (
	"time"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBadAnswersAreTypedErrors(t *testing.T) {
	html := func(status int) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(status, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>")
			r.Header.Set("Content-Type", "text/html")
			return r, nil
		}
	}
	cases := []struct {
		name      string
		responder httpmock.Responder
		opts      []Option
		kinds     []error
		contains  []string
	}{
		{"an HTML page from a proxy", html(200), nil, []error{ErrUnexpectedResponse},
			[]string{"HTTP 200", `"text/html"`, "502 Bad Gateway", "HTML page"}},
		{"an HTML error page keeps its status sentinel", html(403), []Option{WithRetry(0, 0, 0)},
			[]error{ErrUnexpectedResponse, ErrPermissionDenied}, []string{"HTTP 403"}},
		{"truncated JSON", jsonResponder(200, `{"Status":"OK","User":[{"LoginName":"a"`), nil,
			[]error{ErrUnexpectedResponse}, []string{"truncated"}},
		{"an empty body", jsonResponder(200, ``), nil, []error{ErrUnexpectedResponse}, []string{"truncated or empty"}},
		{"JSON without Status", jsonResponder(200, `{"User":[]}`), nil, []error{ErrUnexpectedResponse}, []string{"no Status"}},
		{"a field of the wrong type", jsonResponder(200, `{"Status":"OK","User":[{"LoginName":{"x":1}}]}`), nil,
			[]error{ErrUnexpectedResponse}, []string{"LoginName"}},
		{"an oversized body", jsonResponder(200, `{"Status":"OK","User":[`+strings.Repeat(`{"LoginName":"a"},`, 200)+`{}]}`),
			[]Option{WithMaxResponseBytes(1024)}, []error{ErrUnexpectedResponse}, []string{"1024-byte limit"}},
		{"a JSON array instead of an object", jsonResponder(200, `[1,2]`), nil, []error{ErrUnexpectedResponse}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t, tc.opts...)
			mt.RegisterResponder("POST", listPath, tc.responder)
			_, err := c.ListUsers(context.Background(), nil)
			require.Error(t, err)
			var e *Error
			require.ErrorAs(t, err, &e)
			for _, k := range tc.kinds {
				assert.ErrorIs(t, err, k)
			}
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read's outcome is never unknown")
			for _, s := range tc.contains {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestAStateChangeWithAnUnreadableSuccessIsOutcomeUnknown(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", addPath, jsonResponder(200, `{"Status":"O`))
	err := c.AddUser(context.Background(), &AddUserRequest{UserRef: UserRef{LoginName: "x"}})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

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

func TestStorageStatDataAsAnArray(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/GetUserStorageStat.do",
		jsonResponder(200, `{"Status":"OK","Data":[{"YearMonth":"2024-05","AvgDataNo":"1"},{"YearMonth":"2024-06","AvgDataNo":2}]}`))
	s, err := c.GetUserStorageStat(context.Background(), &StorageStatRequest{UserRef: obm})
	require.NoError(t, err)
	require.Len(t, s.Months, 2)
	assert.Equal(t, Int64(1), s.Months[0].AvgDataNo)
	assert.Equal(t, Int64(2), s.Months[1].AvgDataNo)
}

func TestFlexibleScalars(t *testing.T) {
	ints := []struct {
		in   string
		want Int64
		bad  bool
	}{
		{`12`, 12, false}, {`"12"`, 12, false}, {`""`, 0, false}, {`null`, 0, false}, {`-1`, -1, false},
		{`12.0`, 12, false}, {`"12.7"`, 12, false}, {`"5.25 M"`, 0, true}, {`true`, 0, true},
		{`1e400`, 0, true}, {`"9223372036854775807"`, 9223372036854775807, false},
	}
	for _, tc := range ints {
		t.Run("Int64 from "+tc.in, func(t *testing.T) {
			var v Int64
			err := json.Unmarshal([]byte(tc.in), &v)
			if tc.bad {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, v)
		})
	}
	bools := map[string]bool{`true`: true, `false`: false, `"true"`: true, `"Y"`: true, `"N"`: false, `""`: false, `null`: false, `1`: true, `"false"`: false}
	for in, want := range bools {
		t.Run("Bool from "+in, func(t *testing.T) {
			var v Bool
			require.NoError(t, json.Unmarshal([]byte(in), &v))
			assert.Equal(t, want, bool(v))
		})
	}
	t.Run("Timestamp treats -1 and 0 as never and round-trips", func(t *testing.T) {
		var ts Timestamp
		require.NoError(t, json.Unmarshal([]byte(`-1`), &ts))
		assert.True(t, ts.IsZero())
		require.NoError(t, json.Unmarshal([]byte(`"1686640128382"`), &ts))
		assert.Equal(t, int64(1686640128382), ts.UnixMilli())
		b, err := json.Marshal(ts)
		require.NoError(t, err)
		assert.Equal(t, "1686640128382", string(b))
		require.NoError(t, json.Unmarshal([]byte(`"yesterday"`), &ts), "text in no known format is not an error")
		assert.True(t, ts.IsZero())
	})
	t.Run("Timestamp reads each server's text formats", func(t *testing.T) {
		cases := map[string]time.Time{
			`"2026-11-01T02:00:00Z"`:      time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC),
			`"2026-11-01T03:00:00+01:00"`: time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC),
			`"06/18/2024 16:46:03"`:       time.Date(2024, 6, 18, 16, 46, 3, 0, time.UTC),
			`"2024-06-14"`:                time.Date(2024, 6, 14, 0, 0, 0, 0, time.UTC),
			`"20241221"`:                  time.Date(2024, 12, 21, 0, 0, 0, 0, time.UTC),
			`"19700101"`:                  {},
			`""`:                          {},
			`null`:                        {},
		}
		for in, want := range cases {
			var ts Timestamp
			require.NoError(t, json.Unmarshal([]byte(in), &ts), in)
			assert.True(t, want.Equal(ts.Time), "%s: got %v", in, ts.Time)
		}
	})
}

func TestAReadWhoseAnswerBrokeOffIsRepeated(t *testing.T) {
	cases := []struct {
		name   string
		broken httpmock.Responder
	}{
		{"truncated JSON", jsonResponder(200, `{"Status":"OK","User":[{"Log`)},
		{"an empty body", jsonResponder(200, ``)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", listPath, tc.broken.Then(okUsers))
			users, err := c.ListUsers(context.Background(), nil)
			require.NoError(t, err)
			assert.Len(t, users, 1)
			assert.Equal(t, 2, mt.GetTotalCallCount())
		})
	}
	t.Run("an HTML page is not repeated", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", listPath, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(200, "<html></html>")
			r.Header.Set("Content-Type", "text/html")
			return r, nil
		})
		_, err := c.ListUsers(context.Background(), nil)
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
}

func TestUnitTypes(t *testing.T) {
	t.Run("Bytes prints in the largest whole unit", func(t *testing.T) {
		for b, want := range map[Bytes]string{50 * GiB: "50 GiB", 1536 * KiB: "1536 KiB", 12: "12 B", 0: "0 B", 3 * TiB: "3 TiB"} {
			assert.Equal(t, want, b.String())
		}
	})
	t.Run("Bytes and GB decode numbers sent as strings", func(t *testing.T) {
		var v struct {
			Size  Bytes `json:"Size"`
			Quota GB    `json:"Quota"`
		}
		require.NoError(t, json.Unmarshal([]byte(`{"Size":"5504624","Quota":"100"}`), &v))
		assert.Equal(t, Bytes(5504624), v.Size)
		assert.Equal(t, GB(100), v.Quota)
		assert.Equal(t, 100*GiB, v.Quota.Bytes())
	})
	t.Run("GB is sent as gigabytes", func(t *testing.T) {
		b, err := json.Marshal(&AddUserRequest{StorageQuota: Ptr(GB(50))})
		require.NoError(t, err)
		assert.Contains(t, string(b), `"StorageQuota":50`)
	})
}

func TestAQuotaWrittenInGigabytesIsRefused(t *testing.T) {
	c, mt := newMockAhsay(t)
	cases := map[string]func() error{
		"AddUser": func() error {
			return c.AddUser(context.Background(), &AddUserRequest{UserRef: obm, Password: "Pa55-word",
				QuotaList: []Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50}}})
		},
		"UpdateUser": func() error {
			return c.UpdateUser(context.Background(), &UpdateUserRequest{UserRef: obm,
				QuotaList: []Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50 * GiB}, {DestinationKey: "-1", Quota: 70}}})
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.ErrorContains(t, err, "quotas are in bytes")
			assert.ErrorContains(t, err, "backupapi.GiB")
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}
