package backupapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/backupapi/backupapi/internal/limitio"
)

// AllUsers makes the same call as ListUsers but decodes the answer as a
// stream, yielding one user at a time, so that an answer with 100,000 users
// never sits in memory whole. WithMaxResponseBytes bounds each user record,
// not the stream. Iteration stops at the first error, which is yielded:
//
//	for u, err := range client.AllUsers(ctx, nil) {
//		if err != nil { return err }
//		fmt.Println(u.LoginName)
//	}
//
// Wire: POST /obs/api/json/2/ListUsers.do (v1: /obs/api/json/ListUsers.do), read as a stream
//
// Answer: {"Status":"OK","User":[...]}; without User, no users
func (c *AhsayClient) AllUsers(ctx context.Context, req *ListUsersRequest) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		ctx, yield, end := observeIter(c.core, ctx, "AllUsers", yield)
		defer end()
		const op = "ListUsers"
		body, err := c.encode(op, listUsersBody(req))
		if err != nil {
			yield(User{}, err)
			return
		}
		cc := c.core.newCall(ctx, op, true, body)
		// An answer that broke off before its first user is repeated like
		// any read, within the call's retry budget; after that the consumer
		// has seen users, and the error is theirs to handle.
		counting := func(u User, err error) bool {
			cc.st.consumed = true
			return yield(u, err)
		}
		if err := c.core.repeat(cc, func() error { return c.streamUsers(cc, body, counting) }); err != nil {
			yield(User{}, err)
		}
	}
}

// streamUsers makes one ListUsers request and yields its users; it returns
// the error that ended the stream, if any, without yielding it.
func (c *AhsayClient) streamUsers(cc *callContext, body []byte, yield func(User, error) bool) error {
	ctx := context.Context(cc)
	st := &cc.st
	// WithTimeout bounds each wait for the stream's next piece, not the
	// whole stream, and not the time the consumer spends on a user: a
	// watchdog cancels the request when the network brings nothing for
	// that long, and it is stopped while a user is being yielded. The
	// cancellation's cause, errIdle, tells the transport error and the
	// decode error below why the request ended.
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watch := &idleWatch{d: c.core.attemptTimeout(st)}
	if watch.d > 0 {
		watch.timer = time.AfterFunc(watch.d, func() { cancel(errIdle) })
		defer watch.timer.Stop()
	}
	idle := func(err error) error {
		if ctx.Err() == nil && context.Cause(sctx) == errIdle {
			return errIdle
		}
		return err
	}
	resp, err := c.core.send(sctx, request{method: http.MethodPost, path: c.path("ListUsers"), body: body, header: jsonHeader, stream: true})
	if err != nil {
		return err
	}
	defer drain(resp)
	lr := limitio.New(&idleReader{r: resp.Body, watch: watch}, c.core.cfg.maxResponseBytes)
	fail := func(cause error) error {
		if ctx.Err() != nil {
			cause = ctx.Err()
		}
		return c.core.unexpected(st, resp, lr, idle(cause))
	}
	if isHTML(resp) {
		_, _ = io.CopyN(io.Discard, lr, limitio.PrefixSize)
		return fail(errHTMLPage)
	}
	size, dynamic := decodedElementSize(reflect.TypeFor[User]())
	counter := &recordCounter{r: lr, members: dynamic}
	if m := c.core.cfg.maxResponseBytes; m > 0 && size > 0 {
		counter.limit = decodedFactor * m / size
	}
	dec := json.NewDecoder(counter)
	if err := expectDelim(dec, '{'); err != nil {
		return fail(err)
	}
	paused := func(u User, err error) bool {
		watch.pause()
		defer watch.resume()
		return yield(u, err)
	}
	var env envelope
	for dec.More() {
		lr.Reset()
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		var target any
		switch {
		case strings.EqualFold(key, "User"):
			more, err := streamArray(dec, lr, paused)
			if err != nil {
				return fail(err)
			}
			if !more {
				return nil
			}
			continue
		case strings.EqualFold(key, "Status"):
			target = &env.Status
		case strings.EqualFold(key, "Message"):
			target = &env.Message
		case strings.EqualFold(key, "ExptType"):
			target = &env.ExptType
		default:
			target = new(json.RawMessage)
		}
		if err := dec.Decode(target); err != nil {
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fail(err)
	}
	return c.check(st, resp.StatusCode, &env)
}

// idleWatch is the stream's idle timer: reset whenever data arrives,
// stopped while the consumer has a user.
type idleWatch struct {
	d     time.Duration
	timer *time.Timer // nil: no bound
}

func (w *idleWatch) pause() {
	if w.timer != nil {
		w.timer.Stop()
	}
}

func (w *idleWatch) resume() {
	if w.timer != nil {
		w.timer.Reset(w.d)
	}
}

// idleReader restarts its watch whenever a Read returns data.
type idleReader struct {
	r     io.Reader
	watch *idleWatch
}

func (ir *idleReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	if n > 0 {
		ir.watch.resume()
	}
	return n, err
}

// streamArray yields the users of a JSON array (or nothing for null). ok is
// false when the consumer stopped. Each record is read whole first (within
// the byte cap, body) and goes through checkAnswer, so that what one
// record decodes to is bounded as a whole answer's is.
func streamArray(dec *json.Decoder, body *limitio.Reader, yield func(User, error) bool) (ok bool, err error) {
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	if tok == nil {
		return true, nil
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != '[' {
		return false, fmt.Errorf("User is %v, not an array", tok)
	}
	// Each record decodes straight from the stream; the decoded-memory
	// bound is kept by the recordCounter the stream flows through, which
	// fails the read once one record holds more than the bound.
	for dec.More() {
		body.Reset()
		var u User
		if err := dec.Decode(&u); err != nil {
			return false, err
		}
		if !yield(u, nil) {
			return false, nil
		}
	}
	_, err = dec.Token() // ']'
	return err == nil, err
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", want, tok)
	}
	return nil
}
