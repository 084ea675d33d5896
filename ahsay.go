package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/backupapi/backupapi/internal/limitio"
)

// AhsayClient calls the AhsayCBS JSON API. Every call is a POST whose JSON
// body holds SysUser and SysPwd plus the request's fields. It is safe for
// concurrent use; create one per server and reuse it.
type AhsayClient struct {
	core    *core
	sysUser string
	sysPwd  secret
	creds   secret // `{"SysUser":"...","SysPwd":"..."` without the closing brace
	v1      bool
}

// NewAhsayClient returns a client for the AhsayCBS server at baseURL (the
// server root, e.g. "https://cbs.example.com"), authenticating every call as
// the system user sysUser with password sysPwd. It does no network I/O.
// A plain http:// URL is refused unless WithAllowHTTP is given.
func NewAhsayClient(baseURL, sysUser, sysPwd string, opts ...Option) (*AhsayClient, error) {
	c, cfg, err := newClientCore(SourceAhsay, "NewAhsayClient", baseURL, sysUser, sysPwd, opts)
	if err != nil {
		return nil, err
	}
	user, _ := json.Marshal(sysUser)
	pwd, _ := json.Marshal(sysPwd)
	creds := `{"SysUser":` + string(user) + `,"SysPwd":` + string(pwd)
	return &AhsayClient{core: c, sysUser: sysUser, sysPwd: secret(sysPwd), creds: secret(creds), v1: cfg.ahsayV1}, nil
}

// String describes the client without its password.
func (c AhsayClient) String() string {
	return fmt.Sprintf("AhsayClient{URL: %s, SysUser: %s, SysPwd: %s}", c.core.base.Redacted(), c.sysUser, c.sysPwd)
}

// GoString describes the client without its password.
func (c AhsayClient) GoString() string { return "&backupapi." + c.String() }

// Format prints String for every verb (GoString for %#v), so no verb shows
// the password.
func (c AhsayClient) Format(f fmt.State, verb rune) { formatDescription(f, verb, c.String()) }

// Do calls an AhsayCBS endpoint the SDK does not wrap yet, with the same
// authentication, retries and error decoding. endpoint is either a bare name
// ("ListBackupSets", sent to /obs/api/json/ListBackupSets.do) or a path from
// the server root ("/obs/api/json/2/ListBackupSets.do"). in is marshalled to
// a JSON object to which SysUser and SysPwd are added (nil sends only them);
// out, if not nil, receives the whole answer. Do never retries: the SDK
// cannot know whether an unknown endpoint changes state.
func (c *AhsayClient) Do(ctx context.Context, endpoint string, in, out any) error {
	path := endpoint
	if !strings.HasPrefix(path, "/") {
		path = "/obs/api/json/" + strings.TrimSuffix(endpoint, ".do") + ".do"
	}
	var raw json.RawMessage
	var env envelope
	op := strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".do")
	if err := c.call(ctx, op, path, false, in, &rawAnswer{env: &env, raw: &raw}); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &Error{Source: SourceAhsay, Op: op, HTTPStatus: http.StatusOK, Message: "decoding the answer into " + fmt.Sprintf("%T", out) + ": " + err.Error(), Err: err, kinds: []error{ErrUnexpectedResponse}}
	}
	return nil
}

// envelope is the part every AhsayCBS answer shares.
type envelope struct {
	Status   string `json:"Status"`
	Message  string `json:"Message"`
	ExptType string `json:"ExptType"`
}

func (e *envelope) ahsayEnvelope() *envelope { return e }

// answer is a decoded AhsayCBS response: any struct embedding envelope.
type answer interface{ ahsayEnvelope() *envelope }

// rawAnswer keeps the whole answer as raw JSON (for Do).
type rawAnswer struct {
	env *envelope
	raw *json.RawMessage
}

func (r *rawAnswer) ahsayEnvelope() *envelope { return r.env }

func (r *rawAnswer) UnmarshalJSON(b []byte) error {
	*r.raw = append((*r.raw)[:0], b...)
	return json.Unmarshal(b, r.env)
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// path returns the endpoint's path; v2 names the API version-2 path used
// unless WithAhsayV1 was given, and v1name the deprecated one.
func (c *AhsayClient) path(v2, v1name string) string {
	if c.v1 {
		return ahsayPaths[v1name][0]
	}
	return ahsayPaths[v2][1]
}

// ahsayPaths holds the v1 and v2 paths of the versioned endpoints, built
// once rather than on every call.
var ahsayPaths = func() map[string][2]string {
	m := map[string][2]string{}
	for _, name := range []string{"ListUsers", "GetUser", "AddUser", "UpdateUser", "UpdateUserProfile"} {
		m[name] = [2]string{"/obs/api/json/" + name + ".do", "/obs/api/json/2/" + name + ".do"}
	}
	return m
}()

// call sends in to path and decodes the answer into out.
func (c *AhsayClient) call(ctx context.Context, op, path string, idempotent bool, in any, out answer) error {
	for retry := 0; ; retry++ { // see repeatReads; written out here to spare a closure per call
		err := c.callOnce(ctx, op, path, idempotent, in, out)
		if err == nil || !idempotent || !brokenBody(err) || !c.core.backoff(ctx, op, retry) {
			return err
		}
	}
}

func (c *AhsayClient) callOnce(ctx context.Context, op, path string, idempotent bool, in any, out answer) error {
	resp, attempts, err := c.post(ctx, op, path, idempotent, in, false)
	if err != nil {
		return err
	}
	defer drain(resp)
	body := limitio.Acquire(resp.Body, c.core.cfg.maxResponseBytes)
	defer limitio.Release(body) // unexpected copies what it needs of the prefix
	if isHTML(resp) {
		_, _ = io.CopyN(io.Discard, body, limitio.PrefixSize)
		return c.core.unexpected(op, resp, attempts, idempotent, body, errors.New("the answer is an HTML page, not JSON"))
	}
	if err := decodeJSON(body, out); err != nil {
		return c.core.unexpected(op, resp, attempts, idempotent, body, err)
	}
	return c.check(op, resp.StatusCode, attempts, out.ahsayEnvelope())
}

// post encodes and sends one call.
func (c *AhsayClient) post(ctx context.Context, op, path string, idempotent bool, in any, stream bool) (*http.Response, int, error) {
	body, err := c.encode(in)
	if err != nil {
		return nil, 0, &Error{Source: SourceAhsay, Op: op, Message: "encoding the request: " + err.Error(), Err: err, kinds: []error{ErrInvalidRequest}}
	}
	return c.core.send(ctx, request{op: op, method: http.MethodPost, path: path, body: body, header: jsonHeader, idempotent: idempotent, stream: stream})
}

// encode marshals in and adds the credentials as the object's first keys.
// The body is allocated at its exact size: it cannot be pooled, since
// net/http may still be writing it after the call returns.
func (c *AhsayClient) encode(in any) ([]byte, error) {
	if in == nil {
		return append([]byte(c.creds), '}'), nil
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	if len(b) < 2 || b[0] != '{' {
		return nil, fmt.Errorf("the request %T does not encode to a JSON object", in)
	}
	if len(b) == 2 { // {}
		return append([]byte(c.creds), '}'), nil
	}
	buf := make([]byte, 0, len(c.creds)+len(b))
	buf = append(buf, c.creds...)
	buf = append(buf, ',')
	return append(buf, b[1:]...), nil
}

// check turns an answer that says it failed into an *Error: Status other
// than "OK", "OK" carrying an ExptType, or an HTTP error status.
func (c *AhsayClient) check(op string, status, attempts int, env *envelope) error {
	if status < 300 && env.Status == "OK" && env.ExptType == "" {
		return nil
	}
	e := &Error{Source: SourceAhsay, Op: op, HTTPStatus: status, Message: env.Message, ExptType: env.ExptType, Attempts: attempts}
	if env.Status == "" {
		e.Message = fmt.Sprintf("the answer has no Status (HTTP %d)", status)
		e.addKind(ErrUnexpectedResponse)
	}
	e.addKind(classifyText(SourceAhsay, env.Message))
	if status >= 400 {
		e.addKind(classifyStatus(status))
	}
	return e
}
