package backupapitest

import (
	"bytes"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"
)

// Server is the socket side both fakes share, in the manner of
// httptest.Server: a fake made by NewAhsayServer or NewXClarityServer is
// listening; one made by NewUnstartedAhsayServer or
// NewUnstartedXClarityServer is not until Start or StartTLS, and its
// Handler serves without a socket.
type Server struct {
	// URL is the server root, e.g. "https://127.0.0.1:41234" ("" until
	// started).
	URL string

	srv     *httptest.Server // nil until started: an unstarted fake holds no socket
	handler http.Handler
	plain   bool // PlainHTTP: NewAhsayServer and NewXClarityServer start http
}

func newServer(h http.Handler, cfg serverConfig) *Server {
	return &Server{handler: h, plain: cfg.plainHTTP}
}

// startAsConfigured starts TLS, or plain http with PlainHTTP.
func (s *Server) startAsConfigured() {
	if s.plain {
		s.Start()
		return
	}
	s.StartTLS()
}

// Start starts serving plain http:// on a loopback port (the SDK then
// needs WithAllowHTTP). It panics if the server was started already.
func (s *Server) Start() {
	s.listen().Start()
	s.URL = s.srv.URL
}

// listen opens the server's socket.
func (s *Server) listen() *httptest.Server {
	if s.srv != nil {
		panic("backupapitest: Server started twice")
	}
	s.srv = httptest.NewUnstartedServer(s.handler)
	// A client's spare dials are cut mid-handshake when the server closes:
	// those lines are noise; every other server error is still printed.
	s.srv.Config.ErrorLog = QuietErrorLog(os.Stderr)
	return s.srv
}

// QuietErrorLog returns a logger for an http.Server's ErrorLog that writes
// every server error to w except the "TLS handshake error" lines, which
// clients cause by dropping spare or untrusting connections (the fakes'
// servers and cmd/backupapi-fake use it).
func QuietErrorLog(w io.Writer) *log.Logger { return log.New(handshakeFilter{w}, "", log.LstdFlags) }

// handshakeFilter drops the server's "TLS handshake error" lines.
type handshakeFilter struct{ w io.Writer }

func (f handshakeFilter) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("TLS handshake error")) {
		return len(p), nil
	}
	return f.w.Write(p)
}

// StartTLS starts serving https:// on a loopback port with a certificate
// that Client and Certificate let a client trust. It panics if the server
// was started already.
func (s *Server) StartTLS() {
	s.listen().StartTLS()
	s.URL = s.srv.URL
}

// Client returns an *http.Client that trusts the server's certificate
// (a plain client before the server is started).
func (s *Server) Client() *http.Client {
	if s.srv == nil {
		return &http.Client{}
	}
	return s.srv.Client()
}

// Certificate returns the server's certificate (nil without TLS), for
// backupapi.WithRootCAs.
func (s *Server) Certificate() *x509.Certificate {
	if s.srv == nil {
		return nil
	}
	return s.srv.Certificate()
}

// Handler returns the fake's http.Handler, usable without a socket.
func (s *Server) Handler() http.Handler { return s.handler }

// Close shuts the server down, if it was started.
func (s *Server) Close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

// ServerOption configures a fake server.
type ServerOption func(*serverConfig)

type serverConfig struct {
	plainHTTP      bool
	user, pwd      string
	clock          Clock
	jobLength      time.Duration
	sessionTimeout time.Duration
	noDefaults     bool
}

// PlainHTTP makes NewAhsayServer and NewXClarityServer serve http://
// instead of TLS (the SDK then needs WithAllowHTTP).
func PlainHTTP() ServerOption { return func(c *serverConfig) { c.plainHTTP = true } }

// WithCredentials sets the credentials the fake accepts (system user and
// password for AhsayCBS, user and password for XClarity).
func WithCredentials(user, password string) ServerOption {
	return func(c *serverConfig) { c.user, c.pwd = user, password }
}

// WithClock makes the fake read time from clock (see FakeClock), so that
// jobs progress only when the test says so.
func WithClock(clock Clock) ServerOption { return func(c *serverConfig) { c.clock = clock } }

// WithJobDuration sets how long XClarity jobs take to complete (default 30 s).
func WithJobDuration(d time.Duration) ServerOption { return func(c *serverConfig) { c.jobLength = d } }

// WithSessionTimeout sets the XClarity sessions' inactivity timeout
// (default 24 hours, the appliance's 1440 minutes), on the server's
// clock: a session without user input for longer is closed. A request
// with X-NOT-USER-INPUT: checkSession is not user input.
func WithSessionTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.sessionTimeout = d }
}

// Empty starts the fake without its default data.
func Empty() ServerOption { return func(c *serverConfig) { c.noDefaults = true } }

func buildConfig(user, pwd string, opts []ServerOption) serverConfig {
	cfg := serverConfig{user: user, pwd: pwd, clock: realClock{}, jobLength: 30 * time.Second, sessionTimeout: 24 * time.Hour}
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}
