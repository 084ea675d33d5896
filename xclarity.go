package backupapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/backupapi/backupapi/internal/limitio"
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

	state *xcState // shared by copies of the client value
}

// xcState is the client's session state.
type xcState struct {
	loginSem chan struct{} // one login at a time
	mu       sync.Mutex
	sess     *xcSession
}

// xcSession is an open session: its cookies and CSRF token.
type xcSession struct {
	cookie string // the Cookie header value
	csrf   string
}

// NewXClarityClient returns a client for the appliance at baseURL (e.g.
// "https://lxca.example.com"). It does no network I/O. Appliances ship a
// certificate from their own CA: trust it with WithRootCAs.
func NewXClarityClient(baseURL, username, password string, opts ...Option) (*XClarityClient, error) {
	c, cfg, err := newClientCore(SourceXClarity, "NewXClarityClient", baseURL, username, password, opts)
	if err != nil {
		return nil, err
	}
	return &XClarityClient{core: c, username: username, password: secret(password), basic: cfg.basicAuth,
		state: &xcState{loginSem: make(chan struct{}, 1)}}, nil
}

// String describes the client without its password or session.
func (c XClarityClient) String() string {
	return fmt.Sprintf("XClarityClient{URL: %s, User: %s, Password: %s}", c.core.base.Redacted(), c.username, c.password)
}

// GoString describes the client without its password or session.
func (c XClarityClient) GoString() string { return "&backupapi." + c.String() }

// Format prints String for every verb (GoString for %#v).
func (c XClarityClient) Format(f fmt.State, verb rune) { formatDescription(f, verb, c.String()) }

// Close ends the session (DELETE /sessions), if one is open. A session the
// appliance has already expired (401) counts as closed.
func (c *XClarityClient) Close(ctx context.Context) error {
	c.state.mu.Lock()
	s := c.state.sess
	c.state.sess = nil
	c.state.mu.Unlock()
	if s == nil || c.basic {
		return nil
	}
	resp, attempts, err := c.core.send(ctx, request{op: "Close", method: http.MethodDelete, path: "/sessions",
		header: c.sessionHeader(s), idempotent: true})
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		drain(resp)
		return nil
	}
	return c.decode("Close", resp, attempts, true, nil)
}

// Do calls an XClarity endpoint the SDK does not wrap yet, with the same
// authentication, retries and error decoding. path is from the server root
// and may carry a query; in, if not nil, is sent as JSON; out, if not nil,
// receives the JSON answer. Only GET and HEAD are retried.
func (c *XClarityClient) Do(ctx context.Context, method, path string, in, out any) error {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return c.call(ctx, "Do", method, path, method == http.MethodGet || method == http.MethodHead, in, out)
}

// call sends one request, logging in first if needed and once more after
// a 401, and decodes the answer into out.
func (c *XClarityClient) call(ctx context.Context, op, method, path string, idempotent bool, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return &Error{Source: SourceXClarity, Op: op, Message: "encoding the request: " + err.Error(), Err: err, kinds: []error{ErrInvalidRequest}}
		}
	}
	return c.core.repeatReads(ctx, op, idempotent, func() error { return c.callOnce(ctx, op, method, path, idempotent, body, out) })
}

func (c *XClarityClient) callOnce(ctx context.Context, op, method, path string, idempotent bool, body []byte, out any) error {
	for try := 0; ; try++ {
		header, sess, err := c.authHeader(ctx, body != nil)
		if err != nil {
			return err
		}
		resp, attempts, err := c.core.send(ctx, request{op: op, method: method, path: path, body: body, header: header, idempotent: idempotent})
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusUnauthorized && sess != nil && try == 0 {
			// The session expired: the server did not act. Log in again once.
			drain(resp)
			c.invalidate(sess)
			continue
		}
		return c.decode(op, resp, attempts, idempotent, out)
	}
}

// authHeader returns the headers that authenticate a request, opening a
// session first when there is none.
func (c *XClarityClient) authHeader(ctx context.Context, hasBody bool) (http.Header, *xcSession, error) {
	h := http.Header{}
	if hasBody {
		h.Set("Content-Type", "application/json")
	}
	if c.basic {
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.username+":"+string(c.password))))
		return h, nil, nil
	}
	s, err := c.session(ctx)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range c.sessionHeader(s) {
		h[k] = v
	}
	return h, s, nil
}

func (c *XClarityClient) sessionHeader(s *xcSession) http.Header {
	h := http.Header{}
	if s.cookie != "" {
		h.Set("Cookie", s.cookie)
	}
	if s.csrf != "" {
		h.Set("X-Csrf-Token", s.csrf)
	}
	return h
}

// session returns the open session or logs in. Concurrent first callers
// wait for one login instead of each making their own.
func (c *XClarityClient) session(ctx context.Context) (*xcSession, error) {
	if s := c.current(); s != nil {
		return s, nil
	}
	select {
	case c.state.loginSem <- struct{}{}:
	case <-ctx.Done():
		return nil, &Error{Source: SourceXClarity, Op: "Login", Message: "waiting for the login", Err: ctx.Err()}
	}
	defer func() { <-c.state.loginSem }()
	if s := c.current(); s != nil {
		return s, nil
	}
	s, err := c.login(ctx)
	if err != nil {
		return nil, err
	}
	c.state.mu.Lock()
	c.state.sess = s
	c.state.mu.Unlock()
	return s, nil
}

func (c *XClarityClient) current() *xcSession {
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	return c.state.sess
}

// invalidate forgets s unless another goroutine has replaced it already.
func (c *XClarityClient) invalidate(s *xcSession) {
	c.state.mu.Lock()
	if c.state.sess == s {
		c.state.sess = nil
	}
	c.state.mu.Unlock()
}

// login opens a session: POST /sessions {"UserId","password"}.
func (c *XClarityClient) login(ctx context.Context) (*xcSession, error) {
	body, err := json.Marshal(struct {
		UserID   string `json:"UserId"`
		Password string `json:"password"`
	}{c.username, string(c.password)})
	if err != nil {
		return nil, err
	}
	resp, attempts, err := c.core.send(ctx, request{op: "Login", method: http.MethodPost, path: "/sessions", body: body,
		header: http.Header{"Content-Type": {"application/json"}}, idempotent: true})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		err := c.decode("Login", resp, attempts, true, nil)
		var e *Error
		if errors.As(err, &e) && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			e.addKind(ErrAuthentication)
		}
		return nil, err
	}
	s := &xcSession{csrf: resp.Header.Get("X-Csrf-Token")}
	var cookies []string
	for _, ck := range resp.Cookies() {
		cookies = append(cookies, ck.Name+"="+ck.Value)
		if strings.EqualFold(ck.Name, "csrf") {
			s.csrf = ck.Value
		}
	}
	s.cookie = strings.Join(cookies, "; ")
	drain(resp)
	if s.cookie == "" && s.csrf == "" {
		return nil, &Error{Source: SourceXClarity, Op: "Login", HTTPStatus: resp.StatusCode, Attempts: attempts,
			Message: "the login answer set no session cookie", kinds: []error{ErrUnexpectedResponse}}
	}
	return s, nil
}

// decode reads an answer: an error status or a "failed" result becomes an
// *Error; otherwise the JSON is decoded into out (if not nil).
func (c *XClarityClient) decode(op string, resp *http.Response, attempts int, idempotent bool, out any) error {
	defer drain(resp)
	body := limitio.Acquire(resp.Body, c.core.cfg.maxResponseBytes)
	defer limitio.Release(body) // unexpected copies what it needs of the prefix
	buf, readErr := readAnswer(body)
	defer putAnswerBuffer(buf)
	if readErr != nil {
		return c.core.unexpected(op, resp, attempts, idempotent, body, readErr)
	}
	b := buf.Bytes()
	trimmed := bytes.TrimSpace(b)
	isJSON := !isHTML(resp) && json.Valid(b)
	if resp.StatusCode >= 400 {
		e := &Error{Source: SourceXClarity, Op: op, HTTPStatus: resp.StatusCode, Attempts: attempts}
		if isJSON && len(trimmed) > 0 && trimmed[0] == '{' {
			var env xcEnvelope
			_ = json.Unmarshal(b, &env)
			e.Result, e.Messages = env.result()
		} else if len(trimmed) > 0 {
			unexpected := c.core.unexpected(op, resp, attempts, idempotent, body, errors.New("the error answer is not JSON"))
			e.Message = unexpected.Message
			e.addKind(ErrUnexpectedResponse)
		}
		if e.Message == "" && len(e.Messages) > 0 {
			e.Message = e.Messages[0].Text
		}
		e.addKind(classifyStatus(resp.StatusCode))
		return e
	}
	if out == nil && len(trimmed) == 0 {
		return nil
	}
	if !isJSON {
		cause := jsonProblem(b)
		if isHTML(resp) {
			cause = errors.New("the answer is an HTML page, not JSON")
		}
		return c.core.unexpected(op, resp, attempts, idempotent, body, cause)
	}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var env xcEnvelope
		if err := json.Unmarshal(b, &env); err == nil {
			if result, msgs := env.result(); strings.EqualFold(result, "failed") {
				e := &Error{Source: SourceXClarity, Op: op, HTTPStatus: resp.StatusCode, Attempts: attempts, Result: result, Messages: msgs}
				if len(msgs) > 0 {
					e.Message = msgs[0].Text
				}
				return e
			}
		}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return c.core.unexpected(op, resp, attempts, idempotent, body, err)
	}
	return nil
}

// jsonProblem says what is wrong with b, which is not valid JSON: io.EOF
// when empty, io.ErrUnexpectedEOF when cut short, else a syntax error.
func jsonProblem(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return errors.New("the answer has data after its JSON value")
}
