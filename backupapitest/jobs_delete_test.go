package backupapitest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A job that has not ended cannot be deleted: the appliance answers 409
// (the gem's blueprint lists it for DELETE /jobs/{id}), and the job goes on
// to apply its effect (a running copy that was forgotten never landed).
func TestDeletingAJobThatHasNotEndedIsAConflict(t *testing.T) {
	const uuid = "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"
	starts := []struct {
		name, method, path, body string
		effect                   func(t *testing.T, srv *backupapitest.XClarityServer)
	}{
		{"a backup, which quiesces the appliance", http.MethodPost, "/managementServer/data",
			`{"operation":"backup","action":"start","passphrase":"pass-phrase-1"}`,
			func(t *testing.T, srv *backupapitest.XClarityServer) {
				resp, _ := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs", ""))
				assert.Equal(t, http.StatusOK, resp.StatusCode, "the quiesce ended with the job")
				assert.Len(t, srv.Backups(), 3, "the backup landed beside the two the fake starts with")
			}},
		{"a copy", http.MethodPut, "/managementServer/data",
			`{"action":"start","operation":"copy","uuid":"` + uuid + `","destination":"/mnt/share"}`,
			func(t *testing.T, srv *backupapitest.XClarityServer) {
				var at []string
				for _, b := range srv.Backups() {
					if b.UUID == uuid {
						at = append(at, b.Location)
					}
				}
				assert.Equal(t, []string{"internal", "/mnt/share"}, at, "the copy landed")
			}},
	}
	deletes := []string{"/jobs/", "/tasks/"}
	for _, st := range starts {
		for _, del := range deletes {
			t.Run(st.name+" deleted at "+del+"{id}", func(t *testing.T) {
				clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
				srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Second))
				before := srv.Calls(backupapitest.OpDeleteJob)
				resp, _ := rawXC(t, srv, gemRequest(st.method, st.path, st.body))
				require.Equal(t, http.StatusOK, resp.StatusCode)
				id := newestJob(t, srv)
				clock.Advance(2 * time.Second)

				resp, _ = rawXC(t, srv, gemRequest(http.MethodDelete, del+id, ""))
				assert.Equal(t, http.StatusConflict, resp.StatusCode, "the job is running")

				clock.Advance(10 * time.Second)
				st.effect(t, srv)
				resp, out := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs/"+id, ""))
				require.Equal(t, http.StatusOK, resp.StatusCode, "the job is still there")
				state, _ := viewState(out)
				assert.Equal(t, "Complete", state)

				resp, _ = rawXC(t, srv, gemRequest(http.MethodDelete, del+id, ""))
				assert.Equal(t, http.StatusOK, resp.StatusCode, "an ended job can be deleted")
				resp, _ = rawXC(t, srv, gemRequest(http.MethodGet, "/jobs/"+id, ""))
				assert.Equal(t, http.StatusNotFound, resp.StatusCode)
				assert.Equal(t, before+2, srv.Calls(backupapitest.OpDeleteJob))
			})
		}
	}
}

// newestJob returns the ID of the last job GET /managementServer/quiesce or
// the job list knows (the fake's IDs count up).
func newestJob(t *testing.T, srv *backupapitest.XClarityServer) string {
	t.Helper()
	resp, out := rawXC(t, srv, gemRequest(http.MethodGet, "/managementServer/quiesce", ""))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	if q, ok := out.(map[string]any)["backupRequest"].(map[string]any); ok {
		if id, ok := q["jobId"].(string); ok && id != "" {
			return id
		}
	}
	_, list := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs", ""))
	jobs := list.([]any)
	require.NotEmpty(t, jobs)
	return jobs[len(jobs)-1].(map[string]any)["id"].(string)
}

// PUT and DELETE /jobs/{id},{id} answer one JSON document, not one per job.
func TestAJobsViewActionOnSeveralJobsAnswersOneDocument(t *testing.T) {
	clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Second))
	var ids []string
	for _, dest := range []string{"/mnt/a", "/mnt/b"} {
		resp, _ := rawXC(t, srv, gemRequest(http.MethodPut, "/managementServer/data",
			`{"action":"start","operation":"copy","uuid":"4edf27ff-08d1-49b5-b7f3-7e8edc4fd278","destination":"`+dest+`"}`))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		ids = append(ids, newestJob(t, srv))
	}
	both := "/jobs/" + ids[0] + "," + ids[1]
	cases := []struct {
		name, method, body string
		advance            time.Duration
	}{
		{"a cancel of two running jobs", http.MethodPut, `{"cancelRequest":"true"}`, time.Second},
		{"a delete of two ended jobs", http.MethodDelete, "", 20 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock.Advance(tc.advance)
			resp, out := rawXC(t, srv, gemRequest(tc.method, both, tc.body)) // rawXC fails on two documents
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "success", out.(map[string]any)["result"])
		})
	}
	resp, _ := rawXC(t, srv, gemRequest(http.MethodGet, both, ""))
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "both were deleted")
}

// A copy or move whose backup is deleted while it runs fails, and does not
// bring the deleted backup back at its destination.
func TestACopyOrMoveOfABackupDeletedMeanwhileFails(t *testing.T) {
	const uuid = "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278"
	for _, op := range []string{"copy", "move"} {
		t.Run("a "+op, func(t *testing.T) {
			clock := backupapitest.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
			srv := backupapitest.NewUnstartedXClarityServer(backupapitest.WithClock(clock), backupapitest.WithJobDuration(10*time.Second))
			resp, _ := rawXC(t, srv, gemRequest(http.MethodPut, "/managementServer/data",
				`{"action":"start","operation":"`+op+`","uuid":"`+uuid+`","destination":"/mnt/share"}`))
			require.Equal(t, http.StatusOK, resp.StatusCode)
			id := newestJob(t, srv)
			clock.Advance(2 * time.Second)
			resp, _ = rawXC(t, srv, gemRequest(http.MethodDelete, "/managementServer/data/"+uuid+"?location=all", ""))
			require.Equal(t, http.StatusOK, resp.StatusCode)

			clock.Advance(10 * time.Second)
			for _, b := range srv.Backups() {
				assert.NotEqual(t, uuid, b.UUID, "the deleted backup stays deleted (at %s)", b.Location)
			}
			_, out := rawXC(t, srv, gemRequest(http.MethodGet, "/jobs/"+id, ""))
			state, _ := viewState(out)
			assert.Equal(t, "Stopped_With_Error", state, "the job had nothing to "+op)
		})
	}
}

// Every job endpoint answers a job the appliance does not know with one
// answer: 404 and the same message ID and text, on /jobs and /tasks alike.
func TestAnUnknownJobIsOneAnswerOnEveryJobEndpoint(t *testing.T) {
	srv := backupapitest.NewUnstartedXClarityServer()
	cases := []struct{ name, method, path, body string }{
		{"GET /tasks/{id}", http.MethodGet, "/tasks/999", ""},
		{"PUT /tasks/{id}", http.MethodPut, "/tasks/999", `{"percentage":50}`},
		{"GET /jobs/{id}", http.MethodGet, "/jobs/999", ""},
		{"PUT /jobs/{id} cancelRequest", http.MethodPut, "/jobs/999", `{"cancelRequest":"true"}`},
		{"PUT /jobs/{id}", http.MethodPut, "/jobs/999", `{"status":"Complete"}`},
		{"DELETE /jobs/{id}", http.MethodDelete, "/jobs/999", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := rawXC(t, srv, gemRequest(tc.method, tc.path, tc.body))
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			msg := out.(map[string]any)["messages"].([]any)[0].(map[string]any)
			assert.Equal(t, "FQXHMJM0404J", msg["id"])
			assert.Equal(t, "The job 999 was not found.", msg["text"])
		})
	}
}
