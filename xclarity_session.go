package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// The XClarity session: one login that concurrent calls share (a single
// flight), the session's headers, its secrets, and Close.

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
// and take its session or its failure, unless the leader's own context
// ended, which says nothing about the appliance.
type loginFlight struct {
	done chan struct{}
	// ended is closed after done, once the leader has also ended the
	// session of a login that Close overtook: what Close waits for.
	ended chan struct{}
	sess  *xcSession
	err   error
	span  trace.SpanContext // the login's span, linked from the calls that waited for it
	// leaderGaveUp: the context of the call that led the login ended. A
	// login the appliance did not answer in time (net/http's timeouts, which
	// also match context.DeadlineExceeded) is not this: it is shared.
	leaderGaveUp bool
}

// xcSession is an open session: its cookies and CSRF token.
type xcSession struct {
	cookie string // the Cookie header value
	csrf   string
	values []string // the cookies' values and the token: secrets
}

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
		case <-flight.ended: // it has logged its session out
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
		return c.core.endCall(&cc.st, c.core.finish(&cc.st, err))
	}
	if resp.StatusCode == http.StatusUnauthorized {
		drain(resp)
		return c.core.endCall(&cc.st, nil)
	}
	return c.core.endCall(&cc.st, c.core.finish(&cc.st, c.decode(&cc.st, resp, nil)))
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
			c.core.loginHeld()
			return nil, loginFailed(op, failed, "a login refused less than "+LoginFailureHold.String()+" ago; not tried again yet")
		case st.login != nil:
			flight := st.login
			st.mu.Unlock()
			select {
			case <-flight.done:
				c.core.linkLogin(ctx, flight.span)
			case <-ctx.Done():
				return nil, &Error{Source: SourceXClarity, Op: op, Message: "waiting for the login", Err: ctx.Err()}
			}
			if flight.err != nil && !flight.leaderGaveUp {
				var le *Error
				if errors.As(flight.err, &le) && le.Is(ErrClosed) {
					return nil, closedError(op)
				}
				return nil, loginFailed(op, flight.err, "")
			}
			continue // its session, or its leader gave up: look again
		}
		flight := &loginFlight{done: make(chan struct{}), ended: make(chan struct{})}
		st.login = flight
		st.mu.Unlock()
		return c.lead(ctx, op, flight)
	}
}

// lead makes the login that flight's waiters share.
func (c *XClarityClient) lead(ctx context.Context, op string, flight *loginFlight) (*xcSession, error) {
	defer close(flight.ended)
	s, err := c.login(c.core.loginTrace(ctx, &flight.span))
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
	flight.leaderGaveUp = err != nil && ctx.Err() != nil
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
		return nil, c.core.endLogin(&cc.st, c.core.finish(&cc.st, err))
	}
	return s, c.core.endLogin(&cc.st, nil)
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
