package backupapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const backupUUID = "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"

func TestDeleteBackupSendsTheReferencesURLs(t *testing.T) {
	cases := []struct {
		location, wantRawQuery, wantDecoded string
	}{
		{LocationInternal, "location=internal", "internal"},                                  // the reference's first example
		{"/mnt/my_remote_share", "location=/mnt/my_remote_share", "/mnt/my_remote_share"},    // its second, "/" as printed
		{LocationAll, "location=all", "all"},                                                 //
		{"/mnt/my share/a+b&c", "location=/mnt/my%20share/a%2Bb%26c", "/mnt/my share/a+b&c"}, // intact through any server's decoding
	}
	for _, tc := range cases {
		t.Run(tc.location, func(t *testing.T) {
			c, m := newMockXC(t)
			var got *http.Request
			m.mt.RegisterRegexpResponder("DELETE", regexpFor(xcBase+"/managementServer/data/"+backupUUID), m.authed(func(r *http.Request) (*http.Response, error) {
				got = r
				return httpmock.NewStringResponse(200, `{"result":"success","messages":[]}`), nil
			}))
			res, err := c.DeleteBackup(context.Background(), &DeleteBackupRequest{UUID: backupUUID, Location: tc.location})
			require.NoError(t, err)
			assert.Equal(t, "success", res.Result)
			require.NotNil(t, got)
			assert.Equal(t, "/managementServer/data/"+backupUUID, got.URL.Path)
			assert.Equal(t, tc.wantRawQuery, got.URL.RawQuery)
			assert.Equal(t, tc.wantDecoded, got.URL.Query().Get("location"))
		})
	}
}

func TestDeleteBackupFailureReplaysTheStatusMessageExample(t *testing.T) {
	c, m := newMockXC(t)
	// The status-message page's example, with its recovery object and lower-case url.
	m.mt.RegisterRegexpResponder("DELETE", regexpFor(xcBase+"/managementServer/data/"), m.authed(jsonResponder(400,
		`{"result":"failed","messages":[{"id":"FQXHMSS1002J","text":"The request to change the log level of com.apache to ERROR was not successful.","explanation":"The log level requested could not be changed.","recovery":{"text":"Please retry the action.","url":""}}]}`)))
	_, err := c.DeleteBackup(context.Background(), &DeleteBackupRequest{UUID: backupUUID, Location: LocationInternal})
	assert.ErrorIs(t, err, ErrInvalidRequest)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Len(t, e.Messages, 1)
	assert.Equal(t, "FQXHMSS1002J", e.Messages[0].ID)
	assert.Equal(t, "Please retry the action.", e.Messages[0].Recovery[0].Text)
}

func TestCreateBackupFindsItsJobWhereverItIs(t *testing.T) {
	cases := []struct {
		name      string
		responder httpmock.Responder
		quiesce   string // GET /managementServer/quiesce's answer, "" when not asked
	}{
		{"jobId in the body", jsonResponder(200, `{"result":"success","jobId":"42"}`), ""},
		{"jobUID in the body", jsonResponder(200, `{"result":"success","jobUID":42}`), ""},
		{"a Location header", func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(201, `{"result":"success","messages":[]}`)
			resp.Header.Set("Location", "https://lxca.example.com/tasks/42")
			return resp, nil
		}, ""},
		{"an empty 202 and the quiesce status", func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(202, ""), nil
		}, `{"backupRequest":{"jobId":"42","progress":"3","status":"EXEC: Ready to begin data export"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, m := newMockXC(t)
			var body map[string]any
			m.handle("POST", managementData, func(r *http.Request) (*http.Response, error) {
				b, _ := io.ReadAll(r.Body)
				require.NoError(t, json.Unmarshal(b, &body))
				return tc.responder(r)
			})
			if tc.quiesce != "" {
				m.handle("GET", "/managementServer/quiesce", jsonResponder(200, tc.quiesce))
			}
			res, err := c.CreateBackup(context.Background(), &CreateBackupRequest{Label: "nightly", Passphrase: "Pass-Phrase-9",
				IncludeOS: true, RemoteShareDestination: "/mnt/backups"})
			require.NoError(t, err)
			assert.Equal(t, "42", res.JobID)
			assert.Equal(t, map[string]any{"operation": "backup", "action": "start", "label": "nightly", "passphrase": "Pass-Phrase-9",
				"includeFW": false, "includeOS": true, "remoteShareDestination": "/mnt/backups"}, body)
		})
	}
}

func TestRestoreRequests(t *testing.T) {
	c, m := newMockXC(t)
	var bodies []map[string]any
	m.handle("POST", managementData, func(r *http.Request) (*http.Response, error) {
		var b map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&b))
		bodies = append(bodies, b)
		return httpmock.NewStringResponse(200, `{"result":"success","jobId":"7"}`), nil
	})
	ctx := context.Background()
	_, err := c.PrepareRestore(ctx, &RestoreRequest{UUID: backupUUID, Passphrase: "p-123"})
	require.NoError(t, err)
	_, err = c.StartRestore(ctx, &RestoreRequest{UUID: backupUUID, Devices: Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []map[string]any{
		{"operation": "restore", "action": "prepare", "uuid": backupUUID, "passphrase": "p-123"},
		{"operation": "restore", "action": "start", "uuid": backupUUID, "devices": true},
	}, bodies)
}

func TestListJobsAndQuiesceStatus(t *testing.T) {
	c, m := newMockXC(t)
	var queries []string
	m.handle("GET", "/tasks", func(r *http.Request) (*http.Response, error) {
		queries = append(queries, r.URL.RawQuery)
		return httpmock.NewStringResponse(200, `[{"jobUID":"9","status":"Complete","percentage":100.0,"children":[{"jobUID":"9.1","status":"Complete"}]},{"jobUID":"10","status":"CompleteWithErrors","percentage":"100"}]`), nil
	})
	jobs, err := c.ListJobs(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, jobs, 2)
	assert.Len(t, jobs[0].Children, 1)
	assert.True(t, jobs[1].Status.Failed(), "CompleteWithErrors is a failure, as Lenovo's Ansible roles treat it")
	_, err = c.ListJobs(context.Background(), &ListJobsRequest{Compact: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"", "compact=true"}, queries)

	m.handle("GET", "/managementServer/quiesce", jsonResponder(200, `{"restoreRequest":{"devices":true,"filename":"b.tgz","firmware":false,"jobId":"11","progress":"42.5%"},"quiesced":true}`))
	q, err := c.QuiesceStatus(context.Background())
	require.NoError(t, err)
	require.NotNil(t, q.Restore)
	assert.Nil(t, q.Backup)
	assert.Equal(t, Percent(42.5), q.Restore.Progress, "a percentage sent as a string")
	assert.Equal(t, "11", q.JobID())
	assert.JSONEq(t, "true", string(q.Extra["quiesced"]), "an undocumented field is kept")
}

func TestLifecycleRetries(t *testing.T) {
	cases := []struct {
		name       string
		method     string
		path       string
		idempotent bool
		call       func(context.Context, *XClarityClient) error
	}{
		{"ListJobs is retried", "GET", "/tasks", true, func(ctx context.Context, c *XClarityClient) error { _, err := c.ListJobs(ctx, nil); return err }},
		{"QuiesceStatus is retried", "GET", "/managementServer/quiesce", true, func(ctx context.Context, c *XClarityClient) error {
			_, err := c.QuiesceStatus(ctx)
			return err
		}},
		{"CreateBackup is not", "POST", managementData, false, func(ctx context.Context, c *XClarityClient) error {
			_, err := c.CreateBackup(ctx, &CreateBackupRequest{Passphrase: "p-123"})
			return err
		}},
		{"StartRestore is not", "POST", managementData, false, func(ctx context.Context, c *XClarityClient) error {
			_, err := c.StartRestore(ctx, &RestoreRequest{UUID: backupUUID})
			return err
		}},
		{"DeleteBackup is not", "DELETE", managementData + "/" + backupUUID, false, func(ctx context.Context, c *XClarityClient) error {
			_, err := c.DeleteBackup(ctx, &DeleteBackupRequest{UUID: backupUUID, Location: "internal"})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, m := newMockXC(t)
			m.mt.RegisterRegexpResponder(tc.method, regexpFor(xcBase+tc.path), m.authed(reset.Then(jsonResponder(200, `{}`))))
			err := tc.call(context.Background(), c)
			if tc.idempotent {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
		})
	}
}

func TestWaitForBackupRidesThroughTheQuiescedPhase(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, m := newMockXC(t, WithRetry(0, 0, 0))
		start := time.Now()
		quiesced := func() bool { return time.Since(start) < 10*time.Second }
		m.handle("GET", "/managementServer/quiesce", func(*http.Request) (*http.Response, error) {
			if quiesced() {
				return jsonResponder(200, `{"backupRequest":{"jobId":"42","progress":"50","status":"EXEC: Saving xcat data"}}`)(nil)
			}
			return jsonResponder(200, `{}`)(nil)
		})
		m.handle("GET", "/tasks/42", func(*http.Request) (*http.Response, error) {
			if quiesced() {
				return statusResponder(503, "")(nil)
			}
			return jsonResponder(200, `[{"jobUID":"42","status":"Complete","percentage":100}]`)(nil)
		})
		var seen []string
		job, err := c.WaitForBackup(context.Background(), "", WaitOptions{MinInterval: time.Second, MaxInterval: 2 * time.Second,
			OnProgress: func(p Progress) { seen = append(seen, p.Status) }})
		require.NoError(t, err)
		assert.Equal(t, JobComplete, job.Status)
		assert.Equal(t, []string{"EXEC: Saving xcat data", "Complete"}, seen, "quiesce progress, then the job")
	})
}

// regexpFor matches a URL starting with prefix, whatever its query.
func regexpFor(prefix string) *regexp.Regexp {
	return regexp.MustCompile("^" + regexp.QuoteMeta(prefix))
}
