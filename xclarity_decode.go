package backupapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/backupapi/backupapi/internal/limitio"
)

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
			cause := errNotJSON
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
	if err := unmarshalAnswer(b, out, c.core.cfg.maxResponseBytes); err != nil {
		return c.core.unexpected(st, resp, lr, err)
	}
	if h, ok := out.(headerAnswer); ok {
		h.takeHeader(resp.Header)
	}
	return nil
}

// jsonProblem says what is wrong with b, which is not valid JSON: io.EOF
// when empty, errNotJSON when it is text, io.ErrUnexpectedEOF when cut
// short, else a syntax error.
func jsonProblem(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] != '{' && t[0] != '[' {
		return errNotJSON // text, never the number or word it starts with
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return errors.New("the answer has data after its JSON value")
}
