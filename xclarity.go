package backupapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// XClarityClient calls a Lenovo XClarity Administrator's REST API. By
// default it opens a session (POST /sessions) on first use and sends the
// session cookies with the CSRF token; WithBasicAuth sends HTTP Basic on
// every request instead. It is safe for concurrent use; call Close to end
// the session.
type XClarityClient struct {
	core     *core
	username string
	password secret
	basic    bool
	basicKey secret      // the Authorization header's value with WithBasicAuth
	script   http.Header // WithCheckSession's header, sent on every request (nil without)

	state *xcState // shared by copies of the client value
}

// NewXClarityClient returns a client for the appliance at baseURL (e.g.
// "https://lxca.example.com"). It does no network I/O; an empty user name
// or password is an error. Appliances ship a certificate from their own
// CA: trust it with WithRootCAs. As for NewAhsayClient, an error names the
// argument or option at fault, is not an *Error and matches no sentinel.
func NewXClarityClient(baseURL, username, password string, opts ...Option) (*XClarityClient, error) {
	basicKey := basicCredentials(username, password)
	c, cfg, err := newClientCore(SourceXClarity, "NewXClarityClient", baseURL, username, password, opts)
	if err != nil {
		return nil, err
	}
	c.secrets = append(c.secrets, basicKey[len("Basic "):])
	xc := &XClarityClient{core: c, username: username, password: secret(password), basic: cfg.basicAuth, basicKey: secret(basicKey),
		state: &xcState{}}
	if cfg.checkSession {
		xc.script = http.Header{"X-Not-User-Input": {"checkSession"}}
	}
	c.dynamic = xc.sessionSecrets
	return xc, nil
}

// basicCredentials returns the Basic Authorization value of a user and
// password, built in one allocation of its own size: a password may be
// of any size, and concatenating and converting it would cost a multiple.
func basicCredentials(username, password string) string {
	var b strings.Builder
	b.Grow(len("Basic ") + base64.StdEncoding.EncodedLen(len(username)+1+len(password)))
	b.WriteString("Basic ")
	enc := base64.NewEncoder(base64.StdEncoding, &b)
	_, _ = io.WriteString(enc, username)
	_, _ = io.WriteString(enc, ":")
	_, _ = io.WriteString(enc, password)
	_ = enc.Close()
	return b.String()
}

// String describes the client without its password or session.
func (c XClarityClient) String() string {
	return fmt.Sprintf("XClarityClient{URL: %s, User: %s, Password: %s}", c.core.base.Redacted(), c.username, c.password)
}

// GoString describes the client without its password or session.
func (c XClarityClient) GoString() string { return "&backupapi." + c.String() }

// Format prints String for every verb (GoString for %#v).
func (c XClarityClient) Format(f fmt.State, verb rune) { formatDescription(f, verb, c.String()) }

// Do calls an XClarity endpoint the SDK does not wrap yet, with the same
// authentication, retries and error decoding. path is from the server root
// and may carry a query; in, if not nil, is sent as JSON; out, if not nil,
// receives the JSON answer. Only GET and HEAD are retried after they may
// have reached the server; any other method is retried only when it
// provably never left (a refused connection, a failed name lookup).
//
// Wire: method path, as given
//
// Answer: any JSON, decoded whole into out
func (c *XClarityClient) Do(ctx context.Context, method, path string, in, out any) error {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return c.call(ctx, "Do", method, path, method == http.MethodGet || method == http.MethodHead, in, out)
}

// call sends one request, logging in first if needed and once more after
// a 401, and decodes the answer into out. extra names secrets the request
// carries outside a secret-named JSON key.
func (c *XClarityClient) call(ctx context.Context, op, method, path string, idempotent bool, in, out any, extra ...string) error {
	var body []byte
	if in != nil {
		if isNilPointer(in) {
			return nilRequest(SourceXClarity, op)
		}
		var err error
		if body, err = json.Marshal(in); err != nil {
			return &Error{Source: SourceXClarity, Op: op, Message: "encoding the request", Err: err, kinds: []error{ErrInvalidRequest}}
		}
	}
	cc := c.core.newCall(ctx, op, idempotent, body, extra...)
	return c.core.repeat(cc, func() error { return c.callOnce(cc, method, path, body, out) })
}

func (c *XClarityClient) callOnce(cc *callContext, method, path string, body []byte, out any) error {
	for try := 0; ; try++ {
		header, sess, err := c.authHeader(cc, body != nil)
		if err != nil {
			// The login spent its own retries (or was shared with calls that
			// waited for it): repeating the call would log in again, in turn.
			cc.st.final = true
			return err
		}
		resp, err := c.core.send(cc, request{method: method, path: path, body: body, header: header})
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusUnauthorized && sess != nil && try == 0 {
			// The session expired: the server did not act. Log in again once;
			// only the resend can have reached it, so nothing was sent yet.
			drain(resp)
			c.invalidate(sess)
			cc.st.sent = false
			continue
		}
		return c.decode(&cc.st, resp, out)
	}
}
