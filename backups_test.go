package backupapi

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/backupapi/backupapi/internal/pattern"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestXClarityBackupActionsSendTheReferenceRequests(t *testing.T) {
	cases := []struct {
		name     string
		call     func(context.Context, *XClarityClient) (*ActionResult, error)
		request  string
		response string
		jobID    string
	}{
		{"CopyBackup to the local repository", func(ctx context.Context, c *XClarityClient) (*ActionResult, error) {
			return c.CopyBackup(ctx, &TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: DestinationInternal})
		}, "copy-internal.request.json", "start.response.json", "17"},
		{"MoveBackup to a remote share", func(ctx context.Context, c *XClarityClient) (*ActionResult, error) {
			return c.MoveBackup(ctx, &TransferBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", Destination: "/mnt/my_remote_share"})
		}, "move-share.request.json", "start.response.json", "17"},
		{"PushBackup to another appliance", func(ctx context.Context, c *XClarityClient) (*ActionResult, error) {
			return c.PushBackup(ctx, &PushBackupRequest{UUID: "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", TargetAddress: "10.243.16.45"})
		}, "push.request.fixed-stray-character.json", "start.response.json", "17"},
		{"CancelPush", func(ctx context.Context, c *XClarityClient) (*ActionResult, error) { return c.CancelPush(ctx) },
			"cancel-push.request.json", "cancel.response.json", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, m := newMockXC(t)
			var got []byte
			var hdr http.Header
			m.handle("PUT", "/managementServer/data", func(r *http.Request) (*http.Response, error) {
				got, _ = io.ReadAll(r.Body)
				hdr = r.Header.Clone()
				assert.Empty(t, r.URL.RawQuery)
				return xcFixture(t, tc.response)(r)
			})
			res, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			assert.JSONEq(t, string(fixture(t, "xclarity/"+tc.request)), string(got))
			assert.Equal(t, "application/json", hdr.Get("Content-Type"))
			assert.Equal(t, "csrf-1", hdr.Get("X-Csrf-Token"))
			assert.Equal(t, tc.jobID, res.JobID)
			assert.Equal(t, "success", res.Result)
			assert.Empty(t, res.Messages)
		})
	}
}

func TestListBackupsDecodesTolerantly(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
	backups, err := c.ListBackups(context.Background())
	require.NoError(t, err)
	require.Len(t, backups, 2)
	b := backups[0]
	assert.Equal(t, "4edf27ff-08d1-49b5-b7f3-7e8edc4fd278", b.UUID)
	assert.Equal(t, "lxca-backup-2026-11-01.tgz", b.Filename)
	assert.Equal(t, time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC), b.BackupDate)
	assert.Equal(t, "ADMIN", b.BackupRequestedBy)
	assert.Equal(t, Int64(3), b.Chassis, "a count sent as a numeric string")
	assert.Equal(t, GiB, b.Firmware, "a size sent as a numeric string")
	assert.Equal(t, "false", b.DHCP)
	assert.Equal(t, "00:1a:64:aa:bb:cc", b.DHCPMAC)
	assert.Equal(t, "10.243.16.40", b.Eth0IPv4)
	assert.Equal(t, "enabled", b.IPRedirect)
	assert.JSONEq(t, `"4.1.0"`, string(b.Extra["version"]))
	assert.Equal(t, "184467440737095516150", string(b.Extra["sizeBytes"]), "a number beyond int64 is kept, not a failure")
	odd := backups[1]
	assert.Equal(t, Bytes(7), odd.Firmware)
	assert.Zero(t, odd.Chassis)
	assert.JSONEq(t, `"not-a-number"`, string(odd.Extra["chassis"]), "a named field that does not fit is kept in Extra")
	assert.Equal(t, "/mnt/my share", odd.Location, "where this copy of the backup is")
	assert.Empty(t, b.Location)
	assert.JSONEq(t, `{"share":"internal"}`, string(b.Extra["location"]), "a location that is not text is kept in Extra")
}

func TestImportBackupStreams(t *testing.T) {
	const size = 256 << 20
	c, m := newMockXC(t)
	var received atomic.Int64
	var part, filename, query string
	m.handle("POST", "/files/managementServer/data", func(r *http.Request) (*http.Response, error) {
		query = r.URL.RawQuery
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		require.NoError(t, err)
		mr := multipart.NewReader(r.Body, params["boundary"])
		p, err := mr.NextPart()
		require.NoError(t, err)
		part, filename = p.FormName(), p.FileName()
		n, err := io.Copy(io.Discard, p)
		require.NoError(t, err)
		received.Store(n)
		return jsonResponder(200, `{"jobId":"21","result":"success"}`)(r)
	})

	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	res, err := c.ImportBackup(context.Background(), &ImportBackupRequest{Filename: "lxca-backup.tgz", Body: pattern.NewReader(size)})
	close(stop)
	<-sampled
	require.NoError(t, err)
	assert.Equal(t, "21", res.JobID)
	assert.Equal(t, "action=import", query)
	assert.Equal(t, "uploadedfile", part)
	assert.Equal(t, "lxca-backup.tgz", filename)
	assert.EqualValues(t, size, received.Load())
	assert.Less(t, peak.Load(), uint64(64<<20), "the upload is streamed, not buffered (peak heap %d MiB)", peak.Load()>>20)
}

func TestImportBackupIsNotRetried(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("POST", "/files/managementServer/data", httpmock.NewErrorResponder(&net.OpError{Op: "read", Err: syscall.ECONNRESET}))
	_, err := c.ImportBackup(context.Background(), &ImportBackupRequest{Filename: "b.tgz", Body: pattern.NewReader(1024)})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 2, m.mt.GetTotalCallCount(), "one login and one upload")
}

func TestProcessBackup(t *testing.T) {
	c, m := newMockXC(t)
	var body map[string]string
	var query string
	m.handle("POST", "/files/managementServer/data", func(r *http.Request) (*http.Response, error) {
		query = r.URL.RawQuery
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		return jsonResponder(200, `{"jobId":"22","result":"success"}`)(r)
	})
	res, err := c.ProcessBackup(context.Background(), &ProcessBackupRequest{Passphrase: Secret("pass phrase")})
	require.NoError(t, err)
	assert.Equal(t, "22", res.JobID)
	assert.Equal(t, "action=process", query)
	assert.Equal(t, map[string]string{"passphrase": "pass phrase"}, body)
}

func TestAnUploadIsBoundedByItsContextOnly(t *testing.T) {
	c := newLoopbackXClarity(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(500 * time.Millisecond) // the appliance validates the upload
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"result":"success","jobId":"42"}`))
	}), WithBasicAuth(), WithTimeout(150*time.Millisecond))
	res, err := c.ImportBackup(context.Background(), &ImportBackupRequest{Filename: "b.tgz", Body: strings.NewReader("backup bytes")})
	require.NoError(t, err, "WithTimeout does not cut an upload off")
	assert.Equal(t, "42", res.JobID)
}

func TestImportBackupStopsReadingBeforeItReturns(t *testing.T) {
	c := newLoopbackXClarity(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Connection", "close") // answer now: do not drain the upload first
		w.WriteHeader(http.StatusBadRequest)  // refused before the body is read
		_, _ = w.Write([]byte(`{"result":"failed","messages":[{"id":"X","text":"no"}]}`))
	}), WithBasicAuth())
	r := &watchedReader{}
	_, err := c.ImportBackup(context.Background(), &ImportBackupRequest{Filename: "b.tgz", Body: r})
	r.returned.Store(true)
	assert.False(t, r.inRead.Load(), "ImportBackup returned while its reader was still being read")
	require.Error(t, err)
	time.Sleep(300 * time.Millisecond)
	assert.False(t, r.lateRead.Load(), "the caller's reader was read after ImportBackup returned")
}

// watchedReader serves endless data, slowly after the first piece, and
// records whether it was being read, or read again, once the call that
// used it had returned.
type watchedReader struct {
	reads              atomic.Int32
	inRead             atomic.Bool
	returned, lateRead atomic.Bool
}

func (r *watchedReader) Read(p []byte) (int, error) {
	r.inRead.Store(true)
	defer r.inRead.Store(false)
	if r.returned.Load() {
		r.lateRead.Store(true)
	}
	if r.reads.Add(1) > 1 {
		time.Sleep(200 * time.Millisecond) // a slow source: a disk, a network stream
	}
	return copy(p, "backup bytes "), nil
}
