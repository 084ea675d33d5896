package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/google/go-querystring/query"
)

// DestinationInternal is the XClarity Administrator's local repository as a
// copy or move destination; any other destination is the mount point of a
// configured remote share.
const DestinationInternal = "internal"

// Backup is one management-server backup, as GET /managementServer/data
// lists it. Fields the reference names are typed; every other field is kept
// in Extra, as is a named field whose value does not fit its type (a number
// beyond int64, say), so that decoding never fails on one odd field.
type Backup struct {
	UUID              string
	Filename          string
	BackupDate        time.Time // sent as ISO 8601; a value in no known format stays in Extra
	BackupRequestedBy string
	Checksum          string
	Chassis           Int64 // a count, sent as a numeric string
	Firmware          Bytes // a size, sent as a numeric string
	DHCP              string
	DHCPEth           string
	DHCPMAC           string
	Eth0IPv4          string
	Eth0IPv6          string
	Eth1IPv4          string
	Eth1IPv6          string
	IPRedirect        string
	// Location is where this copy of the backup is: DestinationInternal
	// (the local repository) or a remote share's mount point. A backup
	// copied to a share is listed once per location, with the same UUID.
	Location string
	Extra    map[string]json.RawMessage
}

// UnmarshalJSON decodes the named fields tolerantly and keeps the rest.
func (b *Backup) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*b = Backup{}
	texts := map[string]*string{
		"uuid": &b.UUID, "filename": &b.Filename, "backupRequestedBy": &b.BackupRequestedBy,
		"checksum": &b.Checksum, "dhcp": &b.DHCP, "dhcpEth": &b.DHCPEth, "dhcpMac": &b.DHCPMAC, "eth0IPv4": &b.Eth0IPv4,
		"eth0IPv6": &b.Eth0IPv6, "eth1IPv4": &b.Eth1IPv4, "eth1IPv6": &b.Eth1IPv6, "ipRedirect": &b.IPRedirect,
		"location": &b.Location,
	}
	numbers := map[string]*Int64{"chassis": &b.Chassis, "firmware": (*Int64)(&b.Firmware)}
	for k, v := range raw {
		if p, ok := texts[k]; ok && isScalar(v) {
			*p = rawText(v)
			continue
		}
		if p, ok := numbers[k]; ok && p.UnmarshalJSON(v) == nil {
			continue
		}
		if k == "backupDate" && parseTime(v, &b.BackupDate) {
			continue
		}
		if b.Extra == nil {
			b.Extra = map[string]json.RawMessage{}
		}
		b.Extra[k] = v
	}
	return nil
}

// ActionResult is the answer to an action on backups: the job that tracks
// it (empty when none was started), the result ("success", "warning") and
// the messages, which a "warning" keeps. A "failed" result is an *Error.
type ActionResult struct {
	JobID    string
	Result   string
	Messages []Message
}

// UnmarshalJSON reads the status-message envelope in any of its shapes.
func (a *ActionResult) UnmarshalJSON(b []byte) error {
	var env xcEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	a.JobID = string(env.JobID)
	if a.JobID == "" {
		a.JobID = string(env.JobUID)
	}
	a.Result, a.Messages = env.result()
	return nil
}

const managementData = "/managementServer/data"

// ListBackups lists the management-server backups.
//
// Wire: GET /managementServer/data
//
// Answer: {"backups":[...]}; without backups, an empty list
func (c *XClarityClient) ListBackups(ctx context.Context) ([]Backup, error) {
	return xcListBackups.call(ctx, c, none{})
}

// backupAction is the body of PUT /managementServer/data.
type backupAction struct {
	Action      string `json:"action"`
	Operation   string `json:"operation"`
	UUID        string `json:"uuid,omitempty"`
	Destination string `json:"destination,omitempty"`
}

// TransferBackupRequest names a backup to copy or move and where to.
type TransferBackupRequest struct {
	UUID        string `backupapi:"required"`
	Destination string // DestinationInternal, or a remote share's mount point
}

func (r *TransferBackupRequest) validate() error { return needBackup(r.UUID, r.Destination) }

func (r *TransferBackupRequest) copyWire() any {
	return backupAction{Action: "start", Operation: "copy", UUID: r.UUID, Destination: r.Destination}
}

func (r *TransferBackupRequest) moveWire() any {
	return backupAction{Action: "start", Operation: "move", UUID: r.UUID, Destination: r.Destination}
}

// needBackup checks that a backup action names its backup and target.
func needBackup(uuid, target string) error {
	switch {
	case uuid == "":
		return errors.New("no backup UUID given")
	case target == "":
		return errors.New("no destination given")
	}
	return nil
}

// CopyBackup starts a job that copies a backup to a destination, keeping
// the original. Wait for it with WaitForJob(ctx, result.JobID, ...).
//
// Wire: PUT /managementServer/data {"action":"start","operation":"copy",...}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) CopyBackup(ctx context.Context, req *TransferBackupRequest) (*ActionResult, error) {
	return xcCopyBackup.call(ctx, c, req)
}

// MoveBackup starts a job that copies a backup to a destination and
// deletes the original.
//
// Wire: PUT /managementServer/data {"action":"start","operation":"move",...}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) MoveBackup(ctx context.Context, req *TransferBackupRequest) (*ActionResult, error) {
	return xcMoveBackup.call(ctx, c, req)
}

// PushBackupRequest names a backup to push and the appliance to push it to.
type PushBackupRequest struct {
	UUID          string `backupapi:"required"`
	TargetAddress string // the newly set-up XClarity Administrator
}

func (r *PushBackupRequest) validate() error { return needBackup(r.UUID, r.TargetAddress) }

func (r *PushBackupRequest) wire() any {
	return backupAction{Action: "start", Operation: "push", UUID: r.UUID, Destination: r.TargetAddress}
}

// PushBackup starts a job that pushes a backup to a newly set-up XClarity
// Administrator. Validate and prepare it there with ProcessBackup.
//
// Wire: PUT /managementServer/data {"action":"start","operation":"push",...}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) PushBackup(ctx context.Context, req *PushBackupRequest) (*ActionResult, error) {
	return xcPushBackup.call(ctx, c, req)
}

// CancelPush cancels the push in progress.
//
// Wire: PUT /managementServer/data {"action":"cancel","operation":"push"}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) CancelPush(ctx context.Context) (*ActionResult, error) {
	return xcCancelPush.call(ctx, c, none{})
}

type fileAction struct {
	Action string `url:"action"`
}

func fileActionPath(action string) string {
	v, _ := query.Values(fileAction{Action: action})
	return "/files" + managementData + "?" + v.Encode()
}

// ImportBackupRequest is a backup file to upload.
type ImportBackupRequest struct {
	Filename string    // the name the appliance records
	Body     io.Reader // the file's bytes, read once
}

// ImportBackup uploads a backup file (multipart part "uploadedfile") from
// req.Body, streamed: a 10 GiB backup is never held in memory. It is sent once and
// never retried, since r cannot be replayed; a lost answer is
// ErrOutcomeUnknown, and an expired session fails with ErrAuthentication
// (the next call logs in again). The upload is bounded by ctx only, not by
// WithTimeout: an appliance may take long to validate what it received.
// ImportBackup returns only once it has stopped reading req.Body; a panic
// in req.Body's Read (which runs in a goroutine of the upload's) is
// raised again in the caller's goroutine, with its value. It is
// the one XClarity call outside the endpoint table, since its body is a
// stream rather than JSON.
//
// Wire: POST /files/managementServer/data?action=import (multipart)
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID"
func (c *XClarityClient) ImportBackup(ctx context.Context, req *ImportBackupRequest) (*ActionResult, error) {
	const op = "ImportBackup"
	if req == nil {
		return nil, nilRequest(SourceXClarity, op)
	}
	if req.Body == nil || req.Filename == "" {
		return nil, &Error{Source: SourceXClarity, Op: op, Message: "a file name and a body are needed", kinds: []error{ErrInvalidRequest}}
	}
	cc := c.core.newCall(ctx, op, false, nil)
	out, err := c.importBackup(cc, req.Filename, req.Body)
	if err != nil {
		return nil, c.core.endCall(&cc.st, c.core.finish(&cc.st, err))
	}
	return out, c.core.endCall(&cc.st, nil)
}

func (c *XClarityClient) importBackup(cc *callContext, filename string, r io.Reader) (*ActionResult, error) {
	header, sess, err := c.authHeader(cc, false)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	header.Set("Content-Type", mw.FormDataContentType())
	written := make(chan struct{})
	var panicked any // the writer's panic (in r's Read), raised again here
	go func() {
		defer close(written)
		defer func() {
			if v := recover(); v != nil {
				panicked = v
				_ = pw.CloseWithError(errors.New("the upload's reader panicked"))
			}
		}()
		part, err := mw.CreateFormFile("uploadedfile", filename)
		if err == nil {
			_, err = io.Copy(part, r)
		}
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	resp, err := c.core.sendStream(cc, request{method: http.MethodPost, path: fileActionPath("import"), header: header}, pr)
	_ = pr.CloseWithError(io.ErrClosedPipe) // stop the writer if the request ended early
	<-written                               // and never return while it may still read r
	if panicked != nil {
		panic(panicked) // in the caller's goroutine, where it can be recovered
	}
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusUnauthorized && sess != nil {
		c.invalidate(sess)
	}
	var out ActionResult
	if err := c.decode(&cc.st, resp, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ProcessBackupRequest unlocks an imported or pushed backup.
type ProcessBackupRequest struct {
	Passphrase Secret // the passphrase the backup was made with
}

func (r *ProcessBackupRequest) wire() any {
	return struct {
		Passphrase string `json:"passphrase"`
	}{string(r.Passphrase)}
}

// ProcessBackup validates and prepares the imported or pushed backup.
//
// Wire: POST /files/managementServer/data?action=process {"passphrase":...}
//
// Answer: {"result":"success","messages":[...]} with the job in "jobId" or "jobUID" (or a Location header); an empty body, or no job named, is an ActionResult with JobID ""
func (c *XClarityClient) ProcessBackup(ctx context.Context, req *ProcessBackupRequest) (*ActionResult, error) {
	return xcProcessBackup.call(ctx, c, req)
}
