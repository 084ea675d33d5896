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
	creds   secret          // `{"SysUser":"...","SysPwd":"..."` without the closing brace
	v1      map[string]bool // endpoints sent to their v1 path
}

// NewAhsayClient returns a client for the AhsayCBS server at baseURL (the
// server root, e.g. "https://cbs.example.com"), authenticating every call as
// the system user sysUser with password sysPwd. It does no network I/O.
// A plain http:// URL is refused unless WithAllowHTTP is given. An error
// names the argument or option at fault; being a mistake in the program or
// its configuration rather than a call's failure, it is not an *Error and
// matches no sentinel.
func NewAhsayClient(baseURL, sysUser, sysPwd string, opts ...Option) (*AhsayClient, error) {
	c, cfg, err := newClientCore(SourceAhsay, "NewAhsayClient", baseURL, sysUser, sysPwd, opts)
	if err != nil {
		return nil, err
	}
	user, _ := json.Marshal(sysUser)
	pwd, _ := json.Marshal(sysPwd)
	creds := `{"SysUser":` + string(user) + `,"SysPwd":` + string(pwd)
	c.hint404 = ahsay404Hint
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
// ("UpdateBackupSet", sent to /obs/api/json/UpdateBackupSet.do) or a path
// from the server root ("/obs/api/json/2/GetSystemSetting.do"). in is marshalled to
// a JSON object to which SysUser and SysPwd are added (nil sends only them);
// out, if not nil, receives the whole answer. Do never repeats a request
// that may have reached the server, since the SDK cannot know whether an
// unknown endpoint changes state; it retries only one that provably never
// left (a refused connection, a failed name lookup).
//
// The client's credentials are the only ones sent: an in that sets SysUser
// or SysPwd itself (in any letter case) is refused with ErrInvalidRequest
// before anything is sent, rather than silently overridden. To act as
// another system user, make a client with its credentials.
//
// Wire: POST /obs/api/json/{endpoint}.do, or the path given
//
// Answer: {"Status":"OK",...}, decoded whole into out
func (c *AhsayClient) Do(ctx context.Context, endpoint string, in, out any) error {
	path := endpoint
	if !strings.HasPrefix(path, "/") {
		path = "/obs/api/json/" + strings.TrimSuffix(endpoint, ".do") + ".do"
	}
	var raw json.RawMessage
	var env envelope
	op := strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".do")
	in, err := ownCredentialsOnly(op, in)
	if err != nil {
		return err
	}
	if err := c.call(ctx, op, path, false, in, &rawAnswer{env: &env, raw: &raw}); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := unmarshalAnswer(raw, out, c.core.cfg.maxResponseBytes); err != nil {
		e := &Error{Source: SourceAhsay, Op: op, HTTPStatus: http.StatusOK, Message: fmt.Sprintf("decoding the answer into %T", out), Err: err, kinds: []error{ErrUnexpectedResponse}}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			e.Message, e.Err = fmt.Sprintf("decoding the answer into %T: %s", out, typeMismatch(typeErr)), nil
		}
		return e
	}
	return nil
}

// ownCredentialsOnly returns in, encoded, unless it is a JSON object that
// sets SysUser or SysPwd: those the client sends itself. The error never
// shows the body (it may hold a password).
func ownCredentialsOnly(op string, in any) (any, error) {
	if in == nil || isNilPointer(in) {
		return in, nil
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, &Error{Source: SourceAhsay, Op: op, Message: "encoding the request", Err: err, kinds: []error{ErrInvalidRequest}}
	}
	var keys map[string]json.RawMessage
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &keys) != nil {
		return nil, &Error{Source: SourceAhsay, Op: op, Message: fmt.Sprintf("the request (%T) does not encode to a JSON object", in), kinds: []error{ErrInvalidRequest}}
	}
	for k := range keys {
		if strings.EqualFold(k, "SysUser") || strings.EqualFold(k, "SysPwd") {
			return nil, &Error{Source: SourceAhsay, Op: op, kinds: []error{ErrInvalidRequest},
				Message: fmt.Sprintf("the request sets %s: the client sends its own SysUser and SysPwd; make a client with other credentials to act as another system user", k)}
		}
	}
	return json.RawMessage(b), nil
}

// envelope is the part every AhsayCBS answer shares.
type envelope struct {
	Status   string `json:"Status"`
	Message  string `json:"Message"`
	ExptType string `json:"ExptType"`
	Info     string `json:"Info"` // a warning that comes with "OK" (UpdateLicense)
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

// call encodes in, sends it to path and decodes the answer into out,
// repeating an idempotent call whose answer broke off (see core.repeat).
func (c *AhsayClient) call(ctx context.Context, op, path string, idempotent bool, in any, out answer) error {
	body, err := c.encode(op, in)
	if err != nil {
		return err
	}
	cc := c.core.newCall(ctx, op, idempotent, body)
	return c.core.repeat(cc, func() error { return c.callOnce(cc, path, body, out) })
}

func (c *AhsayClient) callOnce(ctx *callContext, path string, body []byte, out answer) error {
	resp, err := c.core.send(ctx, request{method: http.MethodPost, path: path, body: body, header: jsonHeader})
	if err != nil {
		return err
	}
	defer drain(resp)
	lr := limitio.Acquire(resp.Body, c.core.cfg.maxResponseBytes)
	defer limitio.Release(lr) // unexpected copies what it needs of the prefix
	if isHTML(resp) {
		_, _ = io.CopyN(io.Discard, lr, limitio.PrefixSize)
		return c.core.unexpected(&ctx.st, resp, lr, errHTMLPage)
	}
	if err := decodeJSON(lr, out, c.core.cfg.maxResponseBytes); err != nil {
		return c.core.unexpected(&ctx.st, resp, lr, err)
	}
	return c.check(&ctx.st, resp.StatusCode, out.ahsayEnvelope())
}

// encode marshals in and adds the credentials as the object's first keys.
// A nil pointer is an invalid request; an untyped nil sends only the
// credentials. The body is allocated at its exact size: it cannot be
// pooled, since net/http may still be writing it after the call returns.
func (c *AhsayClient) encode(op string, in any) ([]byte, error) {
	if in == nil {
		return append([]byte(c.creds), '}'), nil
	}
	if isNilPointer(in) {
		return nil, nilRequest(SourceAhsay, op)
	}
	b, err := requestJSON(in)
	if err != nil {
		return nil, &Error{Source: SourceAhsay, Op: op, Message: "encoding the request", Err: err, kinds: []error{ErrInvalidRequest}}
	}
	if len(b) < 2 || b[0] != '{' {
		return nil, &Error{Source: SourceAhsay, Op: op, Message: fmt.Sprintf("the request (%T) does not encode to a JSON object", in), kinds: []error{ErrInvalidRequest}}
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
// than "OK", "OK" carrying an ExptType or a Message (the reference says
// Message comes only with errors, and AddPolicyGroup's example answers
// "OK" with one), or an HTTP error status. An "OK" with an Info warning
// succeeds, and the warning is logged.
func (c *AhsayClient) check(st *callState, status int, env *envelope) error {
	if status < 300 && env.Status == "OK" && env.ExptType == "" && env.Message == "" {
		if env.Info != "" {
			c.core.logger.Warn("backupapi: the server answered OK with a warning", "op", st.op, "info", c.core.redactText(st, env.Info))
		}
		return nil
	}
	e := &Error{Source: SourceAhsay, Op: st.op, HTTPStatus: status, Message: env.Message, ExptType: env.ExptType, Attempts: st.attempts}
	if env.Status == "" {
		// Not AhsayCBS's own answer shape: a proxy's or another server's.
		e.Message = fmt.Sprintf("the answer has no Status (HTTP %d)", status)
		e.addKind(ErrUnexpectedResponse)
		if status == http.StatusNotFound {
			e.Message += "; the server has no such endpoint at this path: check its version" + c.core.notFoundHint(st.path)
			return e
		}
		if !st.idempotent && status < 300 {
			e.addKind(ErrOutcomeUnknown)
		}
	}
	e.addKind(classifyText(SourceAhsay, env.Message))
	for _, k := range statusKinds(status, st.idempotent) {
		e.addKind(k)
	}
	return e
}
