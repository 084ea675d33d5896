package backupapi

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stateChange is one SDK operation that changes state on the server.
type stateChange struct {
	name       string
	idempotent bool // repeating it is harmless, so the SDK may retry it
	ahsay      func(context.Context, *AhsayClient) error
	xclarity   func(context.Context, *XClarityClient) error
}

// stateChanges lists every operation that changes state, of both clients.
// TestTheSweepCoversEveryOperation keeps it complete.
// products names the products that have op ("ahsay", "xclarity").
func (op stateChange) products() []string {
	var out []string
	if op.ahsay != nil {
		out = append(out, "ahsay")
	}
	if op.xclarity != nil {
		out = append(out, "xclarity")
	}
	return out
}

var stateChanges = []stateChange{
	{name: "AddUser", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.AddUser(ctx, &AddUserRequest{UserRef: UserRef{LoginName: "new"}, Password: "Pa55-word"})
	}},
	{name: "UpdateUser", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.UpdateUser(ctx, &UpdateUserRequest{UserRef: obm, Alias: Ptr("a")})
	}},
	{name: "ModifyUserStatus", idempotent: true, ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.ModifyUserStatus(ctx, &ModifyUserStatusRequest{UserRef: obm, Status: UserStatusSuspended})
	}},
	{name: "RemoveUser", ahsay: func(ctx context.Context, c *AhsayClient) error { return c.RemoveUser(ctx, obm) }},
	{name: "SendForgotPasswordEmail", ahsay: func(ctx context.Context, c *AhsayClient) error { return c.SendForgotPasswordEmail(ctx, obm) }},
	{name: "UpdateAUA", idempotent: true, ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.UpdateAUA(ctx, &UpdateAUARequest{LoginNames: []string{"u"}})
	}},
	{name: "AddContact", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.AddContact(ctx, &AddContactRequest{UserRef: obm, Contact: Contact{Name: "n", Email: "n@example.com"}})
	}},
	{name: "AppendContacts", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.AppendContacts(ctx, &ContactsRequest{UserRef: obm})
	}},
	{name: "ReplaceContacts", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.ReplaceContacts(ctx, &ContactsRequest{UserRef: obm})
	}},
	{name: "ChangeContacts", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.ChangeContacts(ctx, &ChangeContactsRequest{UserRef: obm})
	}},
	{name: "RunSingleUserRebuild", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.RunSingleUserRebuild(ctx, &RebuildRequest{UserRef: obm, BackupSetID: "1"})
	}},
	{name: "RunBackup", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.RunBackup(ctx, &RunBackupRequest{UserRef: obm, BackupSetID: "1"})
	}},
	{name: "CancelPendingBackup", idempotent: true, ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.CancelPendingBackup(ctx, &CancelPendingBackupRequest{UserRef: obm, BackupSetID: "1"})
	}},
	{name: "Do", ahsay: func(ctx context.Context, c *AhsayClient) error {
		return c.Do(ctx, "UpdateBackupSet", map[string]any{"LoginName": "u"}, nil)
	}, xclarity: func(ctx context.Context, c *XClarityClient) error {
		return c.Do(ctx, http.MethodPost, "/managementServer/data", map[string]any{"action": "x"}, nil)
	}},
	{name: "CopyBackup", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.CopyBackup(ctx, &TransferBackupRequest{UUID: "u-1", Destination: DestinationInternal})
		return err
	}},
	{name: "MoveBackup", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.MoveBackup(ctx, &TransferBackupRequest{UUID: "u-1", Destination: DestinationInternal})
		return err
	}},
	{name: "PushBackup", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.PushBackup(ctx, &PushBackupRequest{UUID: "u-1", TargetAddress: "10.0.0.2"})
		return err
	}},
	{name: "CancelPush", xclarity: func(ctx context.Context, c *XClarityClient) error { _, err := c.CancelPush(ctx); return err }},
	{name: "ImportBackup", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.ImportBackup(ctx, &ImportBackupRequest{Filename: "b.tgz", Body: strings.NewReader("backup bytes")})
		return err
	}},
	{name: "ProcessBackup", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.ProcessBackup(ctx, &ProcessBackupRequest{Passphrase: "Pass-Phrase-9"})
		return err
	}},
	{name: "DeleteBackup", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.DeleteBackup(ctx, &DeleteBackupRequest{UUID: "u-1", Location: LocationInternal})
		return err
	}},
	{name: "CreateBackup", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.CreateBackup(ctx, &CreateBackupRequest{Passphrase: "Pass-Phrase-9"})
		return err
	}},
	{name: "PrepareRestore", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.PrepareRestore(ctx, &RestoreRequest{UUID: "u-1"})
		return err
	}},
	{name: "StartRestore", xclarity: func(ctx context.Context, c *XClarityClient) error {
		_, err := c.StartRestore(ctx, &RestoreRequest{UUID: "u-1"})
		return err
	}},
	{name: "CancelJobs", idempotent: true, xclarity: func(ctx context.Context, c *XClarityClient) error {
		return c.CancelJobs(ctx, "17")
	}},
}

// readsAndHelpers are the methods that change nothing on the server (reads,
// waiters that poll reads, the client's own housekeeping).
var readsAndHelpers = []string{
	"AllBackupJobs", "AllUsers", "AuthSystemUser", "AuthUser", "Close", "Format", "GetBackupJobProgress",
	"GetBackupJobReport", "GetBackupJobReportSummary", "GetBackupSet", "GetJob", "GetJobs", "GetLicense",
	"GetServerRunJobStatus", "GetSingleUserRebuildStatus", "GetUser", "GetUserStatus", "GetUserStorageStat",
	"GoString", "ListBackupJobMode", "ListBackupJobStatus", "ListBackupJobs", "ListBackupSets", "ListBackups",
	"ListJobs", "ListPolicyGroups", "ListRestoreJobStatus", "ListRestoreJobs", "ListSystemUsers",
	"ListUserGroups", "ListUsers", "QuiesceStatus", "String", "WaitForBackup", "WaitForJob", "WaitForRebuild",
	"AllBackupSetFreshness", "AllUserLastBackups", "BackupFreshness", // reads only (ahsay_freshness.go, xclarity_freshness.go)
}

// TestTheSweepCoversEveryOperation: a method added to either client must
// be classified here, so that the fault sweep below reaches it if it
// changes state.
func TestTheSweepCoversEveryOperation(t *testing.T) {
	for _, client := range []any{&AhsayClient{}, &XClarityClient{}} {
		typ := reflect.TypeOf(client)
		for i := range typ.NumMethod() {
			name := typ.Method(i).Name
			inSweep := slices.ContainsFunc(stateChanges, func(s stateChange) bool {
				_, isAhsay := client.(*AhsayClient)
				return s.name == name && ((isAhsay && s.ahsay != nil) || (!isAhsay && s.xclarity != nil))
			})
			assert.True(t, inSweep || slices.Contains(readsAndHelpers, name), "%s.%s is neither in stateChanges nor in readsAndHelpers", typ.Elem().Name(), name)
		}
	}
}

// countingServer counts the requests that reach its handler.
type countingServer struct {
	*httptest.Server
	reached atomic.Int32
}

func (s *countingServer) handler(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.reached.Add(1)
		next(w, r)
	}
}

// opaqueTransport hides an *http.Transport behind another RoundTripper,
// as a caller's wrapper would: the SDK cannot count on its trace events
// and must judge by the error alone.
type opaqueTransport struct{ base *http.Transport }

func (o opaqueTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return o.base.RoundTrip(r)
}

// transports are the two ways the SDK can send: through an *http.Transport
// (traced) and through an opaque RoundTripper (classified by its error).
var transports = []struct {
	name string
	wrap func(*http.Transport) http.RoundTripper
}{
	{"through an *http.Transport", func(t *http.Transport) http.RoundTripper { return t }},
	{"through an opaque RoundTripper", func(t *http.Transport) http.RoundTripper { return opaqueTransport{t} }},
}

// neverLeftFault is a failure in which the request provably never reached
// the server: it gives the base URL, the transport and the context, and
// how many requests reached a handler.
type neverLeftFault struct {
	name        string
	needsTrace  bool // only the trace can prove it (a context that ended while connecting, a refused CONNECT)
	setUp       func(t *testing.T) (base string, tr *http.Transport, ctx context.Context, reached func() int32)
	wantMessage string
}

func newTestTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	return tr
}

var neverLeftFaults = []neverLeftFault{
	{name: "a certificate from an untrusted CA", wantMessage: "TLS certificate is not trusted",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			s := &countingServer{}
			s.Server = httptest.NewTLSServer(s.handler(func(http.ResponseWriter, *http.Request) {}))
			t.Cleanup(s.Close)
			s.Config.ErrorLog = discardLog()
			return s.URL, newTestTransport(), context.Background(), s.reached.Load
		}},
	{name: "a refused port", wantMessage: "nothing was sent",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := l.Addr().String()
			require.NoError(t, l.Close())
			return "https://" + addr, newTestTransport(), context.Background(), func() int32 { return 0 }
		}},
	{name: "an unresolvable host", wantMessage: "nothing was sent",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			tr := newTestTransport()
			resolver := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
				return nil, errors.New("no name server in tests")
			}}
			tr.DialContext = (&net.Dialer{Resolver: resolver}).DialContext
			return "https://cbs.nowhere.invalid", tr, context.Background(), func() int32 { return 0 }
		}},
	// net/http reports a refused CONNECT as the proxy's bare status text
	// ("Forbidden"): only the trace can tell it from a lost answer.
	{name: "a proxy that refuses the CONNECT", needsTrace: true, wantMessage: "nothing was sent",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			var forwarded atomic.Int32
			proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodConnect {
					forwarded.Add(1) // a request the proxy would have passed on
				}
				http.Error(w, "tunnel refused", http.StatusForbidden)
			}))
			t.Cleanup(proxy.Close)
			tr := newTestTransport()
			proxyURL, err := url.Parse(proxy.URL)
			require.NoError(t, err)
			tr.Proxy = http.ProxyURL(proxyURL)
			return "https://cbs.example.com", tr, context.Background(), forwarded.Load
		}},
	{name: "a context cancelled before the call", wantMessage: "before the request was sent",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			s := &countingServer{}
			s.Server = httptest.NewTLSServer(s.handler(func(http.ResponseWriter, *http.Request) {}))
			t.Cleanup(s.Close)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return s.URL, newTestTransport(), ctx, s.reached.Load
		}},
	{name: "a context cancelled while connecting", needsTrace: true, wantMessage: "before the request was sent",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			// The server accepts the connection and never answers the TLS
			// handshake; the call's context ends meanwhile.
			l, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				for {
					conn, err := l.Accept()
					if err != nil {
						return
					}
					cancel()
					defer conn.Close()
				}
			}()
			t.Cleanup(func() { cancel(); _ = l.Close(); <-done })
			return "https://" + l.Addr().String(), newTestTransport(), ctx, func() int32 { return 0 }
		}},
	{name: "a failed TLS handshake (no common version)", wantMessage: "TLS handshake with the server failed",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			s := &countingServer{}
			s.Server = httptest.NewUnstartedServer(s.handler(func(http.ResponseWriter, *http.Request) {}))
			s.TLS = &tls.Config{MaxVersion: tls.VersionTLS11}
			s.Config.ErrorLog = discardLog()
			s.StartTLS()
			t.Cleanup(s.Close)
			return s.URL, newTestTransport(), context.Background(), s.reached.Load
		}},
	{name: "https to a server that speaks plain http", wantMessage: "the server answered in plain HTTP, not TLS",
		setUp: func(t *testing.T) (string, *http.Transport, context.Context, func() int32) {
			s := &countingServer{}
			s.Server = httptest.NewServer(s.handler(func(http.ResponseWriter, *http.Request) {}))
			t.Cleanup(s.Close)
			return strings.Replace(s.URL, "http://", "https://", 1), newTestTransport(), context.Background(), s.reached.Load
		}},
}

// mayHaveLeftFaults reach the server, which may act, and give no answer.
var mayHaveLeftFaults = []struct {
	name    string
	handler func(cancel context.CancelFunc) http.HandlerFunc
}{
	{"the connection drops after the request arrived", func(context.CancelFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			panic(http.ErrAbortHandler)
		}
	}},
	{"the call's context ends while the server works on it", func(cancel context.CancelFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			cancel()
			<-r.Context().Done()
		}
	}},
}

// sweepClients builds both clients on base and rt, retrying quickly; the
// XClarity client sends HTTP Basic (its session mode is the extra client
// sessionClient builds).
func sweepClients(t *testing.T, base string, rt http.RoundTripper) (*AhsayClient, *XClarityClient) {
	a, err := NewAhsayClient(base, testSysUser, testSysPwd, sweepOptions(rt)...)
	require.NoError(t, err)
	x, err := NewXClarityClient(base, xcUser, xcPassword, append(sweepOptions(rt), WithBasicAuth())...)
	require.NoError(t, err)
	return a, x
}

func sweepOptions(rt http.RoundTripper) []Option {
	return []Option{WithHTTPClient(&http.Client{Transport: rt}), WithRetry(2, 0, 0), WithAllowHTTP()}
}

// sessionClient is an XClarity client that logs in first (POST /sessions).
func sessionClient(t *testing.T, base string, rt http.RoundTripper) *XClarityClient {
	x, err := NewXClarityClient(base, xcUser, xcPassword, sweepOptions(rt)...)
	require.NoError(t, err)
	return x
}

// run calls the operation on whichever clients have it.
func (s stateChange) run(ctx context.Context, a *AhsayClient, xs ...*XClarityClient) []error {
	var errs []error
	if s.ahsay != nil {
		errs = append(errs, s.ahsay(ctx, a))
	}
	for _, x := range xs {
		if s.xclarity != nil {
			errs = append(errs, s.xclarity(ctx, x))
		}
	}
	return errs
}

// TestARequestThatNeverLeftIsNeverOutcomeUnknown sweeps every state change
// through every failure that proves the request never reached the server,
// on both kinds of transport: never ErrOutcomeUnknown, nothing reaches
// the server, and the message says what happened.
func TestARequestThatNeverLeftIsNeverOutcomeUnknown(t *testing.T) {
	for _, fault := range neverLeftFaults {
		for _, tr := range transports {
			if fault.needsTrace && tr.name != transports[0].name {
				continue // only the trace can tell a connect from a write
			}
			t.Run(fault.name+" "+tr.name, func(t *testing.T) {
				for _, op := range stateChanges {
					t.Run(op.name, func(t *testing.T) {
						base, transport, ctx, reached := fault.setUp(t)
						a, x := sweepClients(t, base, tr.wrap(transport))
						for _, err := range op.run(ctx, a, x, sessionClient(t, base, tr.wrap(transport))) {
							require.Error(t, err)
							assert.NotErrorIs(t, err, ErrOutcomeUnknown, "%v", err)
							assert.Contains(t, err.Error(), fault.wantMessage)
							assert.NotContains(t, err.Error(), "check whether it took effect")
						}
						assert.Zero(t, reached(), "no request reached the server")
					})
				}
			})
		}
	}
}

// TestARequestThatMayHaveLeftStaysOutcomeUnknown sweeps every state change
// through every failure after the request reached the server: a change
// that is not idempotent is ErrOutcomeUnknown and is sent exactly once.
func TestARequestThatMayHaveLeftStaysOutcomeUnknown(t *testing.T) {
	for _, fault := range mayHaveLeftFaults {
		for _, tr := range transports {
			t.Run(fault.name+" "+tr.name, func(t *testing.T) {
				for _, op := range stateChanges {
					t.Run(op.name, func(t *testing.T) {
						for _, product := range op.products() {
							ctx, cancel := context.WithCancel(context.Background())
							defer cancel()
							s := &countingServer{}
							s.Server = httptest.NewServer(s.handler(fault.handler(cancel)))
							a, x := sweepClients(t, s.URL, tr.wrap(newTestTransport()))
							var err error
							if product == "ahsay" {
								err = op.ahsay(ctx, a)
							} else {
								err = op.xclarity(ctx, x)
							}
							s.Close()
							require.Error(t, err)
							if op.idempotent {
								assert.NotErrorIs(t, err, ErrOutcomeUnknown, "an idempotent change may be repeated")
								continue
							}
							assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: %v", product, err)
							assert.EqualValues(t, 1, s.reached.Load(), "%s: a change that may have been made is never repeated", product)
						}
					})
				}
			})
		}
	}
}

// discardLog silences a test server's log of the handshakes it refuses.
func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }

// TestTheCallersClientTraceStillFiresOncePerConnection: the door's trace
// is composed with a trace in the caller's context, not in place of it,
// and an XClarity call that sends twice (a session that expired) does not
// make the caller's hook fire twice per connection.
func TestTheCallersClientTraceStillFiresOncePerConnection(t *testing.T) {
	var logins, calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sessions" {
			n := logins.Add(1)
			http.SetCookie(w, &http.Cookie{Name: "csrf", Value: "tok-" + string(rune('0'+n))})
			return
		}
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusUnauthorized) // the first session expired
			return
		}
		_, _ = w.Write([]byte(`{"backups":[]}`))
	}))
	defer srv.Close()
	tr := newTestTransport()
	tr.DisableKeepAlives = true // one connection per request
	c, err := NewXClarityClient(srv.URL, xcUser, xcPassword, WithAllowHTTP(), WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	var got atomic.Int32
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { got.Add(1) }})
	_, err = c.ListBackups(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, logins.Load())
	assert.EqualValues(t, 2, calls.Load())
	assert.EqualValues(t, logins.Load()+calls.Load(), got.Load(), "one GotConn per request made in the caller's context (logins included), none doubled")
}
