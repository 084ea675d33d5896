package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
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
func (c *AhsayClient) AllUsers(ctx context.Context, req *ListUsersRequest) iter.Seq2[User, error] {
	return func(yield func(User, error) bool) {
		yielded := 0
		counting := func(u User, err error) bool {
			if err == nil {
				yielded++
			}
			return yield(u, err)
		}
		// An answer that broke off before its first user is repeated like
		// any read; after that the consumer has seen users, and the error
		// is theirs to handle.
		for retry := 0; ; retry++ {
			err := c.streamUsers(ctx, req, counting)
			if err == nil {
				return
			}
			if yielded > 0 || !brokenBody(err) || !c.core.backoff(ctx, "ListUsers", retry) {
				yield(User{}, err)
				return
			}
		}
	}
}

// streamUsers makes one ListUsers call and yields its users; it returns the
// error that ended the stream, if any, without yielding it.
func (c *AhsayClient) streamUsers(ctx context.Context, req *ListUsersRequest, yield func(User, error) bool) error {
	const op = "ListUsers"
	// WithTimeout bounds the wait for each piece of the stream, not the
	// whole stream: a watchdog cancels the request when data stops coming.
	// The cancellation's cause, errIdle, tells the transport error and the
	// decode error below why the request ended.
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var watchdog *time.Timer
	if d := c.core.cfg.timeout; d > 0 {
		watchdog = time.AfterFunc(d, func() { cancel(errIdle) })
		defer watchdog.Stop()
	}
	idle := func(err error) error {
		if ctx.Err() == nil && context.Cause(sctx) == errIdle {
			return errIdle
		}
		return err
	}
	resp, attempts, err := c.post(sctx, op, c.path("ListUsers", "ListUsers"), true, listUsersBody(req), true)
	if err != nil {
		return err
	}
	defer drain(resp)
	body := limitio.New(&idleReader{r: resp.Body, d: c.core.cfg.timeout, timer: watchdog}, c.core.cfg.maxResponseBytes)
	fail := func(cause error) error {
		if ctx.Err() != nil {
			cause = ctx.Err()
		}
		return c.core.unexpected(op, resp, attempts, true, body, idle(cause))
	}
	if isHTML(resp) {
		_, _ = io.CopyN(io.Discard, body, limitio.PrefixSize)
		return fail(errors.New("the answer is an HTML page, not JSON"))
	}
	dec := json.NewDecoder(body)
	if err := expectDelim(dec, '{'); err != nil {
		return fail(err)
	}
	var env envelope
	for dec.More() {
		body.Reset()
		tok, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := tok.(string)
		var target any
		switch {
		case strings.EqualFold(key, "User"):
			more, err := streamArray(dec, body, yield)
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
	return c.check(op, resp.StatusCode, attempts, &env)
}

// streamArray yields the users of a JSON array (or nothing for null). ok is
// false when the consumer stopped.
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
