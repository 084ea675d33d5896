package backupapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

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
		const op = "ListUsers"
		resp, attempts, err := c.post(ctx, op, c.path("ListUsers", "ListUsers"), true, listUsersBody(req), true)
		if err != nil {
			yield(User{}, err)
			return
		}
		defer drain(resp)
		body := limitio.New(resp.Body, c.core.cfg.maxResponseBytes)
		fail := func(cause error) {
			if ctx.Err() != nil {
				cause = ctx.Err()
			}
			yield(User{}, c.unexpected(op, resp, attempts, true, body, cause))
		}
		if isHTML(resp) {
			_, _ = io.CopyN(io.Discard, body, limitio.PrefixSize)
			fail(errors.New("the answer is an HTML page, not JSON"))
			return
		}
		dec := json.NewDecoder(body)
		if err := expectDelim(dec, '{'); err != nil {
			fail(err)
			return
		}
		var env envelope
		for dec.More() {
			body.Reset()
			tok, err := dec.Token()
			if err != nil {
				fail(err)
				return
			}
			key, _ := tok.(string)
			var target any
			switch {
			case strings.EqualFold(key, "User"):
				ok, err := streamArray(dec, body, yield)
				if err != nil {
					fail(err)
				}
				if !ok || err != nil {
					return
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
				fail(err)
				return
			}
		}
		if _, err := dec.Token(); err != nil { // the closing brace
			fail(err)
			return
		}
		if err := c.check(op, resp.StatusCode, attempts, &env); err != nil {
			yield(User{}, err)
		}
	}
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
