package backupapi

import (
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

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
	BackupDate        string
	BackupRequestedBy string
	Checksum          string
	Chassis           Int64 // a count, sent as a numeric string
	Firmware          Int64 // a size, sent as a numeric string
	DHCP              string
	DHCPEth           string
	DHCPMAC           string
	Eth0IPv4          string
	Eth0IPv6          string
	Eth1IPv4          string
	Eth1IPv6          string
	IPRedirect        string
	Extra             map[string]json.RawMessage
}

// UnmarshalJSON decodes the named fields tolerantly and keeps the rest.
func (b *Backup) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*b = Backup{}
	texts := map[string]*string{
		"uuid": &b.UUID, "filename": &b.Filename, "backupDate": &b.BackupDate, "backupRequestedBy": &b.BackupRequestedBy,
		"checksum": &b.Checksum, "dhcp": &b.DHCP, "dhcpEth": &b.DHCPEth, "dhcpMac": &b.DHCPMAC, "eth0IPv4": &b.Eth0IPv4,
		"eth0IPv6": &b.Eth0IPv6, "eth1IPv4": &b.Eth1IPv4, "eth1IPv6": &b.Eth1IPv6, "ipRedirect": &b.IPRedirect,
	}
	numbers := map[string]*Int64{"chassis": &b.Chassis, "firmware": &b.Firmware}
	for k, v := range raw {
		if p, ok := texts[k]; ok && isScalar(v) {
			*p = rawText(v)
			continue
		}
		if p, ok := numbers[k]; ok && p.UnmarshalJSON(v) == nil {
			continue
		}
		if b.Extra == nil {
			b.Extra = map[string]json.RawMessage{}
		}
		b.Extra[k] = v
	}
	return nil
}

func isScalar(v json.RawMessage) bool {
	s := strings.TrimSpace(string(v))
	return s != "" && s[0] != '{' && s[0] != '['
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
	a.Result, a.Messages = env.result()
	return nil
}

const managementData = "/managementServer/data"

// ListBackups lists the management-server backups.
func (c *XClarityClient) ListBackups(ctx context.Context) ([]Backup, error) {
	var out struct {
		Backups []Backup `json:"backups"`
	}
	if err := c.call(ctx, "ListBackups", http.MethodGet, managementData, true, nil, &out); err != nil {
		return nil, err
	}
	return out.Backups, nil
}

type backupAction struct {
	Action      string `json:"action"`
	Operation   string `json:"operation"`
	UUID        string `json:"uuid,omitempty"`
	Destination string `json:"destination,omitempty"`
}

func (c *XClarityClient) backupAction(ctx context.Context, op string, req backupAction) (*ActionResult, error) {
	var out ActionResult
	if err := c.call(ctx, op, http.MethodPut, managementData, false, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CopyBackup starts a job that copies the backup uuid to destination
// (DestinationInternal, or a remote share's mount point), keeping the
// original. Wait for it with WaitForJob(ctx, result.JobID, ...).
func (c *XClarityClient) CopyBackup(ctx context.Context, uuid, destination string) (*ActionResult, error) {
	return c.backupAction(ctx, "CopyBackup", backupAction{Action: "start", Operation: "copy", UUID: uuid, Destination: destination})
}

// MoveBackup starts a job that copies the backup uuid to destination and
// deletes the original.
func (c *XClarityClient) MoveBackup(ctx context.Context, uuid, destination string) (*ActionResult, error) {
	return c.backupAction(ctx, "MoveBackup", backupAction{Action: "start", Operation: "move", UUID: uuid, Destination: destination})
}

// PushBackup starts a job that pushes the backup uuid to the newly set-up
// XClarity Administrator at targetAddress. Validate and prepare it there
// with ProcessBackup.
func (c *XClarityClient) PushBackup(ctx context.Context, uuid, targetAddress string) (*ActionResult, error) {
	return c.backupAction(ctx, "PushBackup", backupAction{Action: "start", Operation: "push", UUID: uuid, Destination: targetAddress})
}

// CancelPush cancels the push in progress.
func (c *XClarityClient) CancelPush(ctx context.Context) (*ActionResult, error) {
	return c.backupAction(ctx, "CancelPush", backupAction{Action: "cancel", Operation: "push"})
}

type fileAction struct {
	Action string `url:"action"`
}

func fileActionPath(action string) string {
	v, _ := query.Values(fileAction{Action: action})
	return "/files" + managementData + "?" + v.Encode()
}

// ImportBackup uploads a backup file (multipart part "uploadedfile") from r,
// streamed: a 10 GiB backup is never held in memory. It is sent once and
// never retried, since r cannot be replayed; a lost answer is
// ErrOutcomeUnknown, and an expired session fails with ErrAuthentication
// (the next call logs in again). The upload is bounded by ctx only, not by
// WithTimeout: an appliance may take long to validate what it received.
// ImportBackup returns only once it has stopped reading r.
func (c *XClarityClient) ImportBackup(ctx context.Context, filename string, r io.Reader) (*ActionResult, error) {
	cc := c.core.newCall(ctx, "ImportBackup", false, nil)
	out, err := c.importBackup(cc, filename, r)
	if err != nil {
		return nil, c.core.finish(&cc.st, err)
	}
	return out, nil
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
	go func() {
		defer close(written)
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

// ProcessBackup validates and prepares the imported or pushed backup,
// unlocking it with passphrase.
func (c *XClarityClient) ProcessBackup(ctx context.Context, passphrase string) (*ActionResult, error) {
	req := struct {
		Passphrase string `json:"passphrase"`
	}{passphrase}
	var out ActionResult
	if err := c.call(ctx, "ProcessBackup", http.MethodPost, fileActionPath("process"), false, req, &out, passphrase); err != nil {
		return nil, err
	}
	return &out, nil
}
