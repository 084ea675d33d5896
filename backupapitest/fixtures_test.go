package backupapitest_test

import (
	"net/http"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/require"
)

// fakeSetup is what a test varies in the set-up of a fake and its client.
type fakeSetup struct {
	server []backupapitest.ServerOption
	client []backupapi.Option
	// password, when set, is the client's password instead of the fake's.
	password string
	// through, when set, serves the fake unstarted, in process: the
	// client's HTTP client is through(srv.Handler()).
	through func(http.Handler) *http.Client
}

// fakeOption changes one thing in a fakeSetup.
type fakeOption func(*fakeSetup)

// withServer builds the fake with opts.
func withServer(opts ...backupapitest.ServerOption) fakeOption {
	return func(s *fakeSetup) { s.server = append(s.server, opts...) }
}

// withClient builds the client with opts, after the HTTP client option.
func withClient(opts ...backupapi.Option) fakeOption {
	return func(s *fakeSetup) { s.client = append(s.client, opts...) }
}

// withPassword gives the client the password pw instead of the fake's.
func withPassword(pw string) fakeOption {
	return func(s *fakeSetup) { s.password = pw }
}

// throughHandler serves the fake unstarted, in process, the client's HTTP
// client being hc(srv.Handler()).
func throughHandler(hc func(http.Handler) *http.Client) fakeOption {
	return func(s *fakeSetup) { s.through = hc }
}

// inProcess serves the fake unstarted, through backupapitest.Transport of
// its Handler.
func inProcess() fakeOption {
	return throughHandler(func(h http.Handler) *http.Client { return &http.Client{Transport: backupapitest.Transport(h)} })
}

func newFakeSetup(opts []fakeOption) *fakeSetup {
	s := &fakeSetup{}
	for _, o := range opts {
		o(s)
	}
	return s
}

// passwordOr is the password withPassword set, or else fake's.
func (s *fakeSetup) passwordOr(fake string) string {
	if s.password != "" {
		return s.password
	}
	return fake
}

// fakeAhsay is a fake AhsayCBS, closed when the test ends, and a client of
// it with its system credentials: by default the fake listens on loopback
// TLS and the client trusts its certificate (srv.Client()).
func fakeAhsay(t *testing.T, opts ...fakeOption) (*backupapitest.AhsayServer, *backupapi.AhsayClient) {
	t.Helper()
	s := newFakeSetup(opts)
	var srv *backupapitest.AhsayServer
	var base string
	var hc *http.Client
	if s.through != nil {
		srv = backupapitest.NewUnstartedAhsayServer(s.server...)
		base, hc = "https://cbs.test", s.through(srv.Handler())
	} else {
		srv = backupapitest.NewAhsayServer(s.server...)
		base, hc = srv.URL, srv.Client()
	}
	t.Cleanup(srv.Close)
	c, err := backupapi.NewAhsayClient(base, srv.SysUser, s.passwordOr(srv.SysPwd), append([]backupapi.Option{backupapi.WithHTTPClient(hc)}, s.client...)...)
	require.NoError(t, err)
	return srv, c
}

// fakeXClarity is a fake XClarity, closed when the test ends, and a client
// of it with its credentials: by default the fake listens on loopback TLS
// and the client trusts its certificate (srv.Client()).
func fakeXClarity(t *testing.T, opts ...fakeOption) (*backupapitest.XClarityServer, *backupapi.XClarityClient) {
	t.Helper()
	s := newFakeSetup(opts)
	var srv *backupapitest.XClarityServer
	var base string
	var hc *http.Client
	if s.through != nil {
		srv = backupapitest.NewUnstartedXClarityServer(s.server...)
		base, hc = "https://lxca.test", s.through(srv.Handler())
	} else {
		srv = backupapitest.NewXClarityServer(s.server...)
		base, hc = srv.URL, srv.Client()
	}
	t.Cleanup(srv.Close)
	c, err := backupapi.NewXClarityClient(base, srv.Username, s.passwordOr(srv.Password), append([]backupapi.Option{backupapi.WithHTTPClient(hc)}, s.client...)...)
	require.NoError(t, err)
	return srv, c
}
