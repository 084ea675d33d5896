package backupapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
)

// The one door for "was anything sent?". Every attempt of every call
// passes through mayHaveLeft, in the transport (loggingTransport), and
// everything that depends on the answer reads what it recorded in the
// call's state: whether the retry policy may repeat a state change
// (checkRetry), whether a failed state change is ErrOutcomeUnknown
// (transportError), and which message a failure gets.
//
// A request provably never left when:
//   - something before the network refused it (a context that had ended,
//     a limiter's wait): such errors are marked with notSent;
//   - on an *http.Transport, which reports client-trace events, the
//     attempt began getting a connection (httptrace GetConn) and never got
//     one (GotConn): DNS, dial,
//     proxy CONNECT, TLS handshake and certificate failures, and a context
//     that ended while connecting all fail before a connection is handed
//     over, and nothing of the request is written before that;
//   - on any other RoundTripper (a caller's, a mock), or a protocol
//     registered on an *http.Transport, which may report no trace events,
//     its error says so: a DNS or dial error, a refused
//     connection, a proxy that could not be reached ("proxyconnect"), a
//     TLS handshake or certificate failure. (A proxy that refuses the
//     CONNECT is reported by net/http as its bare status text: only the
//     trace proves it.)
//
// Everything else may have reached the server: an answer of any kind, a
// connection reset or timeout after the connection was handed over, a
// context that ended while the request was being written or answered.
// And a redirect's next hop always has: whatever becomes of it, the
// request before it reached the server, which answered with the redirect
// (and may have acted first).

// attemptTrace records the client-trace events of the attempt under way.
// The hooks may run on net/http's writing goroutine: the field is atomic.
type attemptTrace struct {
	getConn atomic.Bool // net/http's own connection handling began (GetConn)
	gotConn atomic.Bool
}

// withTrace returns ctx carrying t's hooks, composed with any trace the
// caller's context carries. A fresh ClientTrace each time: WithClientTrace
// composes into the one it is given.
func (t *attemptTrace) withTrace(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GetConn: t.gettingConnection, GotConn: t.gotConnection})
}

func (t *attemptTrace) gettingConnection(string)            { t.getConn.Store(true) }
func (t *attemptTrace) gotConnection(httptrace.GotConnInfo) { t.gotConn.Store(true) }

// reset starts the trace of a new attempt.
func (t *attemptTrace) reset() {
	t.getConn.Store(false)
	t.gotConn.Store(false)
}

// reported says whether the trace can speak for the attempt: net/http
// handled its connection itself (GetConn), or something reported one
// (GotConn). A protocol registered on the transport (RegisterProtocol)
// is handed the request before either and may report neither.
func (t *attemptTrace) reported() bool { return t.getConn.Load() || t.gotConn.Load() }

// mayHaveLeft is the door: it reports whether the attempt that sent r and
// ended with resp and err may have reached the server. trace is the
// attempt's trace when the transport reports trace events, nil when it may
// not. http.Client sends each hop of a redirect as its own request, r.Response
// being the redirect that led to it.
func mayHaveLeft(r *http.Request, resp *http.Response, err error, trace *attemptTrace) bool {
	var ns *notSentError
	switch {
	case err == nil || resp != nil:
		return true // an answer came: the request arrived
	case r != nil && r.Response != nil:
		return true // a redirect's next hop: the server answered the hop before
	case errors.As(err, &ns):
		return false
	case trace != nil && trace.reported():
		return trace.gotConn.Load()
	}
	return !failedBeforeSending(err)
}

// failedBeforeSending reports whether err, from a transport that may
// report no trace events, is one that can only happen before any byte of
// the request is written: name resolution, connecting (directly or
// through a proxy) and the TLS handshake.
func failedBeforeSending(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	return isCertificateError(err) || isHandshakeError(err)
}

// isCertificateError reports whether err is a failed verification of the
// server's certificate (an unknown authority, a wrong host name, an
// expired certificate), which happens in the TLS handshake.
func isCertificateError(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

// isHandshakeError reports whether err is a TLS handshake that failed for
// another reason than the client's check of the certificate: no common
// protocol version or cipher, the server refusing the client, a server that
// does not speak TLS, a handshake timeout.
func isHandshakeError(err error) bool {
	// A record the client cannot read is a handshake failure only as the
	// first record ("first record does not look like a TLS handshake"): an
	// oversized or garbled record can also come in the answer, after the
	// request was written and read.
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) && strings.Contains(rh.Msg, "handshake") {
		return true
	}
	var alert tls.AlertError
	if errors.As(err, &alert) || errors.Is(err, http.ErrSchemeMismatch) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" && op.Err != nil && slices.Contains(handshakeAlerts, op.Err.Error()) {
		return true
	}
	return strings.Contains(err.Error(), "TLS handshake")
}

// handshakeAlerts are the TLS alerts a server sends only during the
// handshake, as crypto/tls prints them.
var handshakeAlerts = []string{
	"tls: handshake failure", "tls: protocol version not supported", "tls: insufficient security level",
	"tls: bad certificate", "tls: unsupported certificate", "tls: revoked certificate", "tls: expired certificate",
	"tls: unknown certificate", "tls: unknown certificate authority", "tls: certificate required",
	"tls: unrecognized name", "tls: no application protocol", "tls: inappropriate fallback",
}

// notSentError marks an error that stopped a request before it was handed
// to the network.
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// notSent marks err, which stopped a request before anything of it was
// written, for the door. Code that refuses or delays a request before it
// leaves (a context check, a rate limiter's wait, an in-flight cap) wraps
// its error with it, so that the request is never taken for one that may
// have reached the server.
func notSent(err error) error {
	if err == nil {
		return nil
	}
	return &notSentError{err: err}
}

// speaksTLS reports whether a plain-http answer or failure is a server
// that speaks TLS on that port: net/http's "malformed HTTP response" of a
// TLS alert record, or the 400 page Go and nginx servers give such a
// request.
func speaksTLS(scheme string, err error, body []byte) bool {
	if scheme != "http" {
		return false
	}
	if err != nil {
		return strings.Contains(err.Error(), `malformed HTTP response "\x15\x03`)
	}
	text := string(body)
	return strings.Contains(text, "HTTP request to an HTTPS server") || strings.Contains(text, "plain HTTP request was sent to HTTPS port")
}
