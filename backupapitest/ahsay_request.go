package backupapitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// maxAhsayBody bounds what the fake reads of a request body; a larger
// body is refused (errBodyTooLarge), its memory never more than the bound.
const maxAhsayBody = 16 << 20

var errBodyTooLarge = errors.New("the request body is larger than 16 MiB")

// ahsayRequest holds a request's parameters, each as JSON: a JSON body's
// values as sent, form and query-string values as JSON strings.
type ahsayRequest struct{ raw map[string]json.RawMessage }

// readAhsayRequest reads a request's parameters as AhsayCBS's servlets do:
// from a JSON body, from an application/x-www-form-urlencoded body, and
// from the query string. Where a form body and the query string both name
// a parameter, the query string's value wins (a servlet's getParameter
// returns the first value, and the query string comes first); a JSON
// body's value wins over the query string's. A body that is neither a
// form nor empty must be a JSON object. A form or query-string parameter
// whose percent-encoding is broken is skipped, as Tomcat, the servlet
// container AhsayCBS runs in, skips it.
func readAhsayRequest(r *http.Request) (ahsayRequest, error) {
	req := ahsayRequest{raw: map[string]json.RawMessage{}}
	query, _ := url.ParseQuery(r.URL.RawQuery) // the pairs that decode
	var body []byte
	var err error
	if r.Body != nil {
		body, err = io.ReadAll(io.LimitReader(r.Body, maxAhsayBody+1))
		if err != nil {
			return req, err
		}
		if len(body) > maxAhsayBody {
			return req, errBodyTooLarge // not cut short: a cut form would read as another request
		}
		r.Body = io.NopCloser(bytes.NewReader(body)) // put back, for a fault that echoes it
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mediaType == "application/x-www-form-urlencoded":
		form, _ := url.ParseQuery(string(body)) // the pairs that decode
		req.addValues(form)
		req.addValues(query) // the query string's value is the first
	case len(bytes.TrimSpace(body)) == 0:
		req.addValues(query)
	default:
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return req, err
		}
		if fields == nil {
			return req, errors.New("the body is not a JSON object")
		}
		req.addValues(query)
		for k, v := range fields {
			req.raw[k] = v
		}
	}
	return req, nil
}

// addValues sets each parameter to its first value, as a JSON string.
func (r ahsayRequest) addValues(v url.Values) {
	for k, vs := range v {
		if len(vs) > 0 {
			r.raw[k], _ = json.Marshal(vs[0])
		}
	}
}

// ahsayOp names the SDK operation a request to an endpoint performs.
func ahsayOp(endpoint string, req ahsayRequest) string {
	switch endpoint {
	case "UpdateUser", "UpdateUserProfile":
		switch {
		case req.str("ChangeContact") == "Y":
			return OpChangeContacts
		case req.has("AppendContact") && req.str("AppendContact") == "Y":
			return OpAppendContacts
		case req.has("AppendContact"):
			return OpReplaceContacts
		}
		return OpUpdateUser
	case "RunBackup":
		if cancel, _ := req.boolean("CancelBackup"); cancel {
			return OpCancelPendingBackup
		}
	case "SendForgotPwdEmail":
		return OpSendForgotPasswordEmail
	}
	return endpoint
}

func (r ahsayRequest) has(key string) bool { _, ok := r.raw[key]; return ok }

func (r ahsayRequest) str(key string) string {
	var s string
	if v, ok := r.raw[key]; ok && json.Unmarshal(v, &s) != nil {
		return strings.Trim(string(v), `"`)
	}
	return s
}

// json returns a parameter's JSON value: an array or object sent as a
// string (as a form or query string must send it) is unwrapped.
func (r ahsayRequest) json(key string) (json.RawMessage, bool) {
	v, ok := r.raw[key]
	if !ok {
		return nil, false
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{") {
			return json.RawMessage(t), true
		}
	}
	return v, true
}

// boolean reads a flag as a Java servlet does (Boolean.parseBoolean:
// "true" in any case) and as AhsayCBS writes flags (Y, N), sent as a JSON
// boolean or as text: Python's requests sends True in a form as "True".
// ok is false for a parameter not sent or not a flag.
func (r ahsayRequest) boolean(key string) (value, ok bool) {
	if _, present := r.raw[key]; !present {
		return false, false
	}
	switch v := strings.TrimSpace(r.str(key)); {
	case strings.EqualFold(v, "true"), strings.EqualFold(v, "Y"):
		return true, true
	case strings.EqualFold(v, "false"), strings.EqualFold(v, "N"):
		return false, true
	}
	return false, false
}

// int64 reads a number, sent as a JSON number or as a numeric string.
func (r ahsayRequest) int64(key string) (int64, bool) {
	v, ok := r.raw[key]
	if !ok {
		return 0, false
	}
	var n int64
	if json.Unmarshal(v, &n) == nil {
		return n, true
	}
	var s string
	if json.Unmarshal(v, &s) == nil && json.Unmarshal([]byte(strings.TrimSpace(s)), &n) == nil {
		return n, true
	}
	return 0, false
}

// jsonOrNull is json, with null for a parameter not sent.
func (r ahsayRequest) jsonOrNull(key string) json.RawMessage {
	if v, ok := r.json(key); ok {
		return v
	}
	return json.RawMessage("null")
}
