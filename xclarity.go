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
	"time"

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
	basicKey secret      // the Authorization header's value with WithBasicAuth
	script   http.Header // WithCheckSession's header, sent on every request (nil without)

	state *xcState // shared by copies of the client value
}

// LoginFailureHold is how long a login the appliance refused (401 or 403)
// is remembered: calls in that time fail with the same error without
// trying again, since appliances lock accounts after repeated failures.
const LoginFailureHold = 5 * time.Second

// xcState is the client's session state.
type xcState struct {
	mu       sync.Mutex
	sess     *xcSession
	login    *loginFlight // the login under way, nil when none
	failed   *Error       // the last login's refusal, held for LoginFailureHold
	failedAt time.Time
	closed   bool
	tokens   []string // cookie values and CSRF tokens of recent sessions, masked in errors
}

// loginFlight is one login that concurrent callers share: they wait for it
// and take its session or its failure.
type loginFlight struct {
	done chan struct{}
	sess *xcSession
	err  error
}

// xcSession is an open session: its cookies and CSRF token.
type xcSession struct {
	cookie string // the Cookie header value
	csrf   string
	values []string // the cookies' values and the token: secrets
}

// NewXClarityClient returns a client for the appliance at baseURL (e.g.
// "https://lxca.example.com"). It does no network I/O; an empty user name
// or password is an error. Appliances ship a certificate from their own
// CA: trust it with WithRootCAs.
func NewXClarityClient(baseURL, username, password string, opts ...Option) (*XClarityClient, error) {
	basicKey := "Basic " + base64.StdEncoding.EncodeToString([]byte(username+":"+password))
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

// String describes the client without its password or session.
func (c XClarityClient) String() string {
	return fmt.Sprintf("XClarityClient{URL: %s, User: %s, Password: %s}", c.core.base.Redacted(), c.username, c.password)
}

// GoString describes the client without its password or session.
func (c XClarityClient) GoString() string { return "&backupapi." + c.String() }

// Format prints String for every verb (GoString for %#v).
func (c XClarityClient) Format(f fmt.State, verb rune) { formatDescription(f, verb, c.String()) }

// Close ends the session (DELETE /sessions), if one is open, and closes the
// client: every later call fails with an error matching ErrClosed. A login
// under way when Close is called ends its session as soon as it has one;
// Close waits for it (within ctx). A session the appliance has already
// expired (401) counts as closed. Closing twice is harmless.
//
// Wire: DELETE /sessions
//
// Answer: any body, or none (it is not read)
func (c *XClarityClient) Close(ctx context.Context) error {
	c.state.mu.Lock()
	c.state.closed = true
	s, flight := c.state.sess, c.state.login
	c.state.sess = nil
	c.state.mu.Unlock()
	if flight != nil {
		select {
		case <-flight.done: // it has logged its session out
		case <-ctx.Done():
			return &Error{Source: SourceXClarity, Op: "Close", Message: "waiting for the login under way to end its session", Err: ctx.Err()}
		}
	}
	if s == nil || c.basic {
		return nil
	}
	return c.logout(ctx, "Close", s)
}

// logout ends session s.
func (c *XClarityClient) logout(ctx context.Context, op string, s *xcSession) error {
	cc := c.core.newCall(ctx, op, true, nil)
	resp, err := c.core.send(cc, request{method: http.MethodDelete, path: "/sessions", header: c.sessionHeader(s)})
	if err != nil {
		return c.core.finish(&cc.st, err)
	}
	if resp.StatusCode == http.StatusUnauthorized {
		drain(resp)
		return nil
	}
	return c.core.finish(&cc.st, c.decode(&cc.st, resp, nil))
}

// Do calls an XClarity endpoint the SDK does not wrap yet, with the same
// authentication, retries and error decoding. path is from the server root
// and may carry a query; in, if not nil, is sent as JSON; out, if not nil,
// receives the JSON answer. Only GET and HEAD are retried.
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
			return err
		}
		resp, err := c.core.send(cc, request{method: method, path: path, body: body, header: header})
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusUnauthorized && sess != nil && try == 0 {
			// The session expired: the server did not act. Log in again once.
			drain(resp)
			c.invalidate(sess)
			continue
		}
		return c.decode(&cc.st, resp, out)
	}
}

// authHeader returns the headers that authenticate a request of the call
// cc, opening a session first when there is none.
func (c *XClarityClient) authHeader(cc *callContext, hasBody bool) (http.Header, *xcSession, error) {
	h := c.withScript(http.Header{})
	if hasBody {
		h.Set("Content-Type", "application/json")
	}
	if c.basic {
		if c.isClosed() {
			return nil, nil, closedError(cc.st.op)
		}
		h.Set("Authorization", string(c.basicKey))
		return h, nil, nil
	}
	s, err := c.session(cc, cc.st.op)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range c.sessionHeader(s) {
		h[k] = v
	}
	return h, s, nil
}

// withScript adds WithCheckSession's header to h.
func (c *XClarityClient) withScript(h http.Header) http.Header {
	for k, v := range c.script {
		h[k] = v
	}
	return h
}

func (c *XClarityClient) sessionHeader(s *xcSession) http.Header {
	h := c.withScript(http.Header{})
	if s.cookie != "" {
		h.Set("Cookie", s.cookie)
	}
	if s.csrf != "" {
		h.Set("X-Csrf-Token", s.csrf)
	}
	return h
}

func (c *XClarityClient) isClosed() bool {
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	return c.state.closed
}

func closedError(op string) *Error {
	return &Error{Source: SourceXClarity, Op: op, Message: "the client is closed (Close was called)", kinds: []error{ErrClosed}}
}

// session returns the open session or logs in for the call op. Concurrent
// callers share one login, and its failure; a refused login is not tried
// again for LoginFailureHold.
func (c *XClarityClient) session(ctx context.Context, op string) (*xcSession, error) {
	for {
		c.state.mu.Lock()
		st := c.state
		switch {
		case st.closed:
			st.mu.Unlock()
			return nil, closedError(op)
		case st.sess != nil:
			s := st.sess
			st.mu.Unlock()
			return s, nil
		case st.failed != nil && time.Since(st.failedAt) < LoginFailureHold:
			failed := st.failed
			st.mu.Unlock()
			return nil, loginFailed(op, failed, "a login refused less than "+LoginFailureHold.String()+" ago; not tried again yet")
		case st.login != nil:
			flight := st.login
			st.mu.Unlock()
			select {
			case <-flight.done:
			case <-ctx.Done():
				return nil, &Error{Source: SourceXClarity, Op: op, Message: "waiting for the login", Err: ctx.Err()}
			}
			if flight.err != nil && !isContextError(flight.err) {
				var le *Error
				if errors.As(flight.err, &le) && le.Is(ErrClosed) {
					return nil, closedError(op)
				}
				return nil, loginFailed(op, flight.err, "")
			}
			continue // its session, or its caller gave up: look again
		}
		flight := &loginFlight{done: make(chan struct{})}
		st.login = flight
		st.mu.Unlock()
		return c.lead(ctx, op, flight)
	}
}

// lead makes the login that flight's waiters share.
func (c *XClarityClient) lead(ctx context.Context, op string, flight *loginFlight) (*xcSession, error) {
	s, err := c.login(ctx)
	st := c.state
	st.mu.Lock()
	st.login = nil
	closed := st.closed
	var le *Error
	switch {
	case err == nil && !closed:
		st.sess, st.failed = s, nil
	case err != nil && errors.As(err, &le) && le.Is(ErrAuthentication):
		st.failed, st.failedAt = le, time.Now()
	}
	if err == nil && closed {
		err = closedError("Login")
	}
	flight.sess, flight.err = s, err
	close(flight.done)
	st.mu.Unlock()
	switch {
	case err == nil:
		return s, nil
	case closed && s != nil:
		// Close came while this login was under way: end its session now.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = c.logout(lctx, "Close", s)
		return nil, closedError(op)
	}
	return nil, loginFailed(op, err, "")
}

// isContextError: the call that led a login gave up; its waiters try again.
func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// loginFailed names the caller's operation, with the login's error as the
// cause: "xclarity ListBackups: the login (POST /sessions) failed: xclarity
// Login: 401 Unauthorized: ...". It matches what the login's error matches.
func loginFailed(op string, err error, note string) error {
	var le *Error
	if !errors.As(err, &le) {
		return err
	}
	cause := le.clone() // the login's error is shared by every waiter
	msg := "the login (POST /sessions) failed"
	if note != "" {
		msg += " (" + note + ")"
	}
	return &Error{Source: SourceXClarity, Op: op, Message: msg, Attempts: le.Attempts, Err: cause, kinds: le.Kinds()}
}

// invalidate forgets s unless another goroutine has replaced it already.
func (c *XClarityClient) invalidate(s *xcSession) {
	c.state.mu.Lock()
	if c.state.sess == s {
		c.state.sess = nil
	}
	c.state.mu.Unlock()
}

// sessionSecrets returns the cookie values and CSRF tokens of the recent
// sessions, which errors must not show.
func (c *XClarityClient) sessionSecrets() []string {
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	return append([]string(nil), c.state.tokens...)
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
	cc := c.core.newCall(ctx, "Login", true, body)
	s, err := c.loginOnce(cc, body)
	if err != nil {
		return nil, c.core.finish(&cc.st, err)
	}
	return s, nil
}

func (c *XClarityClient) loginOnce(cc *callContext, body []byte) (*xcSession, error) {
	resp, err := c.core.send(cc, request{method: http.MethodPost, path: "/sessions", body: body, header: c.withScript(jsonHeader.Clone())})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		err := c.decode(&cc.st, resp, nil)
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
		s.values = append(s.values, ck.Value)
		if strings.EqualFold(ck.Name, "csrf") {
			s.csrf = ck.Value
		}
	}
	if s.csrf != "" {
		s.values = append(s.values, s.csrf)
	}
	s.cookie = strings.Join(cookies, "; ")
	drain(resp)
	if s.cookie == "" && s.csrf == "" {
		return nil, &Error{Source: SourceXClarity, Op: cc.st.op, HTTPStatus: resp.StatusCode, Attempts: cc.st.attempts,
			Message: "the login answer set no session cookie", kinds: []error{ErrUnexpectedResponse}}
	}
	c.state.mu.Lock()
	c.state.tokens = append(c.state.tokens, s.values...)
	if n := len(c.state.tokens); n > 16 { // the last few sessions' tokens suffice
		c.state.tokens = append([]string(nil), c.state.tokens[n-16:]...)
	}
	c.state.mu.Unlock()
	return s, nil
}

// decode reads an answer: an error status or a "failed" result becomes an
// *Error; otherwise the JSON is decoded into out (if not nil).
func (c *XClarityClient) decode(st *callState, resp *http.Response, out any) error {
	defer drain(resp)
	lr := limitio.Acquire(resp.Body, c.core.cfg.maxResponseBytes)
	defer limitio.Release(lr) // unexpected copies what it needs of the prefix
	buf, readErr := readAnswer(lr)
	defer putAnswerBuffer(buf)
	if readErr != nil {
		return c.core.unexpected(st, resp, lr, readErr)
	}
	b := buf.Bytes()
	trimmed := bytes.TrimSpace(b)
	isJSON := !isHTML(resp) && json.Valid(b)
	if resp.StatusCode >= 400 {
		if len(trimmed) > 0 && !(isJSON && trimmed[0] == '{') {
			cause := errors.New("the error answer is not JSON")
			if isHTML(resp) {
				cause = errHTMLPage
			}
			return c.core.unexpected(st, resp, lr, cause)
		}
		e := &Error{Source: SourceXClarity, Op: st.op, HTTPStatus: resp.StatusCode, Attempts: st.attempts}
		if len(trimmed) > 0 {
			var env xcEnvelope
			_ = json.Unmarshal(b, &env)
			e.Result, e.Messages = env.result()
		}
		if len(e.Messages) > 0 {
			e.Message = e.Messages[0].Text
		}
		for _, k := range statusKinds(resp.StatusCode, st.idempotent) {
			e.addKind(k)
		}
		return e
	}
	if len(trimmed) == 0 {
		if _, ok := out.(emptyBodyAnswer); out == nil || ok {
			if h, ok := out.(headerAnswer); ok {
				h.takeHeader(resp.Header)
			}
			return nil
		}
	}
	if !isJSON {
		cause := jsonProblem(b)
		if isHTML(resp) {
			cause = errHTMLPage
		}
		return c.core.unexpected(st, resp, lr, cause)
	}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var env xcEnvelope
		if err := json.Unmarshal(b, &env); err == nil {
			if result, msgs := env.result(); strings.EqualFold(result, "failed") {
				e := &Error{Source: SourceXClarity, Op: st.op, HTTPStatus: resp.StatusCode, Attempts: st.attempts, Result: result, Messages: msgs}
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
		return c.core.unexpected(st, resp, lr, err)
	}
	if h, ok := out.(headerAnswer); ok {
		h.takeHeader(resp.Header)
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
