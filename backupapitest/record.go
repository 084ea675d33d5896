package backupapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/backupapi/backupapi/internal/redact"
)

// RecordedRequest is a request a fake received, as Requests and the
// control API's calls show it. Values of secret keys — passwords
// (SysPwd, Password), passphrases, tokens, cookies, credentials, licence,
// API and encryption keys, the Authorization and X-Csrf-Token headers —
// are "***" in the query, the headers and a JSON or form body, and so are
// a session ID in the path (DELETE /sessions/{id}) and the password of a
// URL (sftp://user:***@host) in a value; a body of any other kind is
// described, not shown.
type RecordedRequest struct {
	Seq    int64       `json:"seq"`  // the order of requests across every fake of the process
	Time   time.Time   `json:"time"` // wall-clock time of arrival
	Op     string      `json:"op"`
	Method string      `json:"method"`
	Path   string      `json:"path"`
	Query  string      `json:"query,omitempty"`
	Header http.Header `json:"header,omitempty"`
	Body   string      `json:"body,omitempty"`
}

const (
	recordedRequests = 200      // how many requests a fake keeps
	maxInspectedBody = 64 << 10 // larger bodies are described, not shown
	maxRecordedBody  = 8 << 10  // a shown body is cut here
	masked           = "***"
)

var requestSeq atomic.Int64

// requestLog is a ring of the last requests; its zero value is ready.
type requestLog struct {
	mu   sync.Mutex
	ring []RecordedRequest
	next int
}

// record notes r (putting back the body it reads).
func (l *requestLog) record(r *http.Request, op string) {
	rec := RecordedRequest{Seq: requestSeq.Add(1), Time: time.Now(), Op: op, Method: r.Method, Path: maskPath(r.URL.Path),
		Query: maskQuery(r.URL.RawQuery), Header: maskHeader(r.Header), Body: readBodyMasked(r)}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ring) < recordedRequests {
		l.ring = append(l.ring, rec)
		return
	}
	l.ring[l.next] = rec
	l.next = (l.next + 1) % recordedRequests
}

// snapshot returns the requests, oldest first.
func (l *requestLog) snapshot() []RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]RecordedRequest, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

func (l *requestLog) reset() {
	l.mu.Lock()
	l.ring, l.next = nil, 0
	l.mu.Unlock()
}

// secretKey reports whether a key or header names a secret: one the SDK
// masks (redact.IsSecretKey), or any name with a secret's word in it
// (ignoring case, "-" and "_"), keys that are secrets (a licence, API,
// encryption or private key, the licence's Key) included.
func secretKey(name string) bool {
	if redact.IsSecretKey(name) {
		return true
	}
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(name))
	if n == "key" { // the licence's Key
		return true
	}
	for _, s := range []string{"pwd", "password", "passphrase", "secret", "token", "csrf", "authorization", "cookie",
		"credential", "apikey", "licensekey", "licencekey", "encryptionkey", "privatekey"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// secretPathPrefixes are the paths whose rest is a credential: XClarity's
// DELETE /sessions/{id} names the session by its JSESSIONID.
var secretPathPrefixes = []string{"/sessions/"}

// maskPath masks the credentials a path may carry.
func maskPath(p string) string {
	for _, prefix := range secretPathPrefixes {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" {
			return prefix + masked
		}
	}
	return p
}

func maskHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		if secretKey(k) {
			out[k] = []string{masked}
			continue
		}
		out[k] = make([]string, len(v))
		for i, val := range v {
			out[k][i] = maskURLPassword(val)
		}
	}
	return out
}

func maskQuery(raw string) string {
	if raw == "" {
		return ""
	}
	v, err := url.ParseQuery(raw)
	if err != nil || !plainKeys(v) {
		return "(not shown: not a query string)"
	}
	return maskValues(v).Encode()
}

// paramName is what a parameter's name looks like; anything else (a
// JSON document sent as a form, say) may hide a secret in the name.
var paramName = regexp.MustCompile(`^[A-Za-z0-9_.\[\]-]+$`)

func plainKeys(v url.Values) bool {
	for k := range v {
		if !paramName.MatchString(k) {
			return false
		}
	}
	return true
}

func maskValues(v url.Values) url.Values {
	for k, vals := range v {
		if secretKey(k) {
			v[k] = []string{masked}
			continue
		}
		for i, val := range vals {
			vals[i] = maskURLPassword(val)
		}
	}
	return v
}

// urlPassword is the password of a URL's user info (sftp://user:pass@host):
// a share given as a URL may carry one.
var urlPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^/?#@\s:"]*:)[^/?#@\s"]*@`)

func maskURLPassword(s string) string { return urlPassword.ReplaceAllString(s, "${1}"+masked+"@") }

// readBodyMasked reads the body, puts it back and returns it masked.
func readBodyMasked(r *http.Request) string {
	if r.Body == nil || r.Body == http.NoBody {
		return ""
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, maxInspectedBody+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil {
		return "(not shown: the body could not be read)"
	}
	if len(head) == 0 {
		return ""
	}
	if len(head) > maxInspectedBody {
		return fmt.Sprintf("(not shown: more than %d KiB)", maxInspectedBody>>10)
	}
	var shown string
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.UseNumber()
	var doc any
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case dec.Decode(&doc) == nil && !dec.More(): // JSON, whatever the Content-Type says
		b, _ := json.Marshal(maskJSON(doc))
		shown = string(b)
	case media == "application/x-www-form-urlencoded":
		v, err := url.ParseQuery(string(head))
		if err != nil || !plainKeys(v) {
			return fmt.Sprintf("(not shown: %d bytes that are neither JSON nor a form)", len(head))
		}
		shown = maskValues(v).Encode()
	case strings.HasPrefix(media, "multipart/"):
		return fmt.Sprintf("(not shown: %d bytes of %s)", len(head), media)
	default:
		return fmt.Sprintf("(not shown: %d bytes that are neither JSON nor a form)", len(head))
	}
	shown = redact.Text(shown) // a secret quoted inside a value, say
	if len(shown) > maxRecordedBody {
		shown = shown[:maxRecordedBody] + "…"
	}
	return shown
}

// maskJSON replaces the values of secret keys, at any depth.
func maskJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if secretKey(k) {
				v[k] = masked
				continue
			}
			v[k] = maskJSON(e)
		}
	case []any:
		for i, e := range v {
			v[i] = maskJSON(e)
		}
	case string:
		return maskURLPassword(v)
	}
	return v
}
