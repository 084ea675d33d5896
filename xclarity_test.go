package backupapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	xcBase     = "https://lxca.example.com"
	xcUser     = "ADMIN"
	xcPassword = "Lxca-Pa55!"
)

// mockAppliance is an httpmock XClarity with sessions: it hands out
// numbered sessions and checks the cookie and CSRF token of every call.
type mockAppliance struct {
	t       *testing.T
	mt      *httpmock.MockTransport
	logins  atomic.Int32
	logouts atomic.Int32
	mu      sync.Mutex
	valid   map[string]bool // csrf tokens of live sessions
}

func newMockXC(t *testing.T, opts ...Option) (*XClarityClient, *mockAppliance) {
	t.Helper()
	m := &mockAppliance{t: t, mt: httpmock.NewMockTransport(), valid: map[string]bool{}}
	m.mt.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
	newMockLogin(t, m)
	m.mt.RegisterResponder("DELETE", xcBase+"/sessions", m.authed(func(r *http.Request) (*http.Response, error) {
		m.logouts.Add(1)
		m.mu.Lock()
		delete(m.valid, r.Header.Get("X-Csrf-Token"))
		m.mu.Unlock()
		return httpmock.NewStringResponse(200, ""), nil
	}))
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: m.mt}), WithRetry(2, time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := NewXClarityClient(xcBase, xcUser, xcPassword, opts...)
	require.NoError(t, err)
	return c, m
}

// newMockLogin (re)installs the appliance's login.
func newMockLogin(_ *testing.T, m *mockAppliance) {
	m.mt.RegisterResponder("POST", xcBase+"/sessions", m.loginResponder)
}

// loginResponder hands out numbered sessions to the right credentials.
func (m *mockAppliance) loginResponder(r *http.Request) (*http.Response, error) {
	t := m.t
	var body map[string]string
	require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
	if body["UserId"] != xcUser || body["password"] != xcPassword {
		return httpmock.NewStringResponse(401, `{"result":"failed","messages":[{"id":"FQXHMSE0001J","text":"Invalid credentials"}]}`), nil
	}
	n := m.logins.Add(1)
	token := fmt.Sprintf("csrf-%d", n)
	m.mu.Lock()
	m.valid[token] = true
	m.mu.Unlock()
	resp := httpmock.NewStringResponse(200, `{"result":"success"}`)
	resp.Header.Add("Set-Cookie", fmt.Sprintf("JSESSIONID=sess-%d; Path=/; Secure; HttpOnly", n))
	resp.Header.Add("Set-Cookie", "csrf="+token+"; Path=/; Secure")
	return resp, nil
}

// authed wraps a responder: 401 unless the request carries a live session.
func (m *mockAppliance) authed(next httpmock.Responder) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		token := r.Header.Get("X-Csrf-Token")
		ck, err := r.Cookie("csrf")
		m.mu.Lock()
		ok := m.valid[token] && err == nil && ck.Value == token
		m.mu.Unlock()
		if _, jerr := r.Cookie("JSESSIONID"); !ok || jerr != nil {
			return httpmock.NewStringResponse(401, `{"result":"failed","messages":[{"id":"FQXHMSE0002J","text":"Not logged in"}]}`), nil
		}
		return next(r)
	}
}

// expire ends every live session, as an idle timeout would.
func (m *mockAppliance) expire() {
	m.mu.Lock()
	m.valid = map[string]bool{}
	m.mu.Unlock()
}

func (m *mockAppliance) handle(method, path string, r httpmock.Responder) {
	m.mt.RegisterResponder(method, xcBase+path, m.authed(r))
}

func xcFixture(t *testing.T, name string) httpmock.Responder {
	return jsonResponder(200, string(fixture(t, "xclarity/"+name)))
}

func TestXClarityStateChangesAreNotRetried(t *testing.T) {
	c, m := newMockXC(t)
	calls := 0
	m.handle("PUT", "/managementServer/data", func(r *http.Request) (*http.Response, error) {
		calls++
		return nil, fmt.Errorf("connection reset by peer")
	})
	_, err := c.CopyBackup(context.Background(), &TransferBackupRequest{UUID: "u", Destination: DestinationInternal})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, calls)
}

func TestXClarityReadsAreRetried(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/managementServer/data", statusResponder(503, "").Then(xcFixture(t, "backups.json")))
	backups, err := c.ListBackups(context.Background())
	require.NoError(t, err)
	assert.Len(t, backups, 2)
}

func TestXClarityResultsAndErrors(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		sentinels []error
		result    string
		msgID     string
		recovery  string
	}{
		{"warning is success with messages kept", 200,
			`{"jobId":"18","result":"warning","messages":[{"id":"FQXHMSE0100W","text":"Share almost full"}]}`, nil, "warning", "FQXHMSE0100W", ""},
		{"failed with 200 is an error", 200,
			`{"result":"failed","message":{"id":"FQXHMSE0200J","text":"No such backup","explanation":"e","recovery":{"text":"Pick another","URL":"https://help/x"}}}`,
			[]error{}, "failed", "FQXHMSE0200J", "https://help/x"},
		{"400 is an invalid request", 400, `{"result":"failed","messages":[{"id":"A","text":"bad","recovery":[{"text":"fix","url":"https://help/y"}]}]}`,
			[]error{ErrInvalidRequest}, "failed", "A", "https://help/y"},
		{"403 is permission denied", 403, `{"status":{"result":"failed","message":[{"id":"B","text":"denied"}]}}`,
			[]error{ErrPermissionDenied}, "failed", "B", ""},
		{"404 is not found", 404, `{"result":"failed","messages":[{"id":"C","text":"gone"}]}`, []error{ErrNotFound}, "failed", "C", ""},
		{"409 is an invalid request", 409, `{"result":"failed","messages":[]}`, []error{ErrInvalidRequest}, "failed", "", ""},
		{"412 is an invalid request", 412, `{"result":"failed"}`, []error{ErrInvalidRequest}, "failed", "", ""},
		{"500 is a server error", 500, `{"result":"failed","messages":[{"id":"D","text":"boom"}]}`, []error{ErrServer}, "failed", "D", ""},
		{"an HTML 500 page is a server error and unexpected", 500, `<html>oops</html>`, []error{ErrServer, ErrUnexpectedResponse}, "", "", ""},
		{"an empty 404 is not found", 404, ``, []error{ErrNotFound}, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, m := newMockXC(t)
			m.handle("PUT", "/managementServer/data", jsonResponder(tc.status, tc.body))
			res, err := c.MoveBackup(context.Background(), &TransferBackupRequest{UUID: "u", Destination: "/mnt/s"})
			if tc.sentinels == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.result, res.Result)
				require.Len(t, res.Messages, 1)
				assert.Equal(t, tc.msgID, res.Messages[0].ID)
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, SourceXClarity, e.Source)
			assert.Equal(t, "MoveBackup", e.Op)
			assert.Equal(t, tc.result, e.Result)
			if tc.status >= 400 {
				assert.Equal(t, tc.status, e.HTTPStatus)
			}
			for _, s := range tc.sentinels {
				assert.ErrorIs(t, err, s)
			}
			if len(tc.sentinels) == 0 {
				assert.Empty(t, e.Kinds(), "a failed result without an error status matches no sentinel")
			}
			if tc.msgID != "" {
				require.NotEmpty(t, e.Messages)
				assert.Equal(t, tc.msgID, e.Messages[0].ID)
				assert.Contains(t, e.Error(), "("+tc.msgID+")")
			}
			if tc.recovery != "" {
				require.NotEmpty(t, e.Messages[0].Recovery)
				assert.Equal(t, tc.recovery, e.Messages[0].Recovery[0].URL)
			}
		})
	}
}

func TestXClaritySessions(t *testing.T) {
	t.Run("logs in once, then sends the cookies and CSRF token", func(t *testing.T) {
		c, m := newMockXC(t)
		m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
		for i := 0; i < 3; i++ {
			_, err := c.ListBackups(context.Background())
			require.NoError(t, err)
		}
		assert.EqualValues(t, 1, m.logins.Load())
	})
	t.Run("the constructor does not log in", func(t *testing.T) {
		_, m := newMockXC(t)
		assert.Zero(t, m.mt.GetTotalCallCount())
	})
	t.Run("an expired session is renewed once and the call repeated", func(t *testing.T) {
		c, m := newMockXC(t)
		calls := 0
		m.handle("PUT", "/managementServer/data", func(r *http.Request) (*http.Response, error) {
			calls++
			return xcFixture(t, "start.response.json")(r)
		})
		_, err := c.CopyBackup(context.Background(), &TransferBackupRequest{UUID: "u", Destination: DestinationInternal})
		require.NoError(t, err)
		m.expire()
		res, err := c.CopyBackup(context.Background(), &TransferBackupRequest{UUID: "u", Destination: DestinationInternal})
		require.NoError(t, err)
		assert.Equal(t, "17", res.JobID)
		assert.EqualValues(t, 2, m.logins.Load())
		assert.Equal(t, 2, calls, "the server acted once per call")
	})
	t.Run("a second 401 is an authentication error, not a loop", func(t *testing.T) {
		c, m := newMockXC(t)
		m.mt.RegisterResponder("GET", xcBase+"/managementServer/data", jsonResponder(401, `{"result":"failed"}`))
		_, err := c.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrAuthentication)
		assert.EqualValues(t, 2, m.logins.Load())
		assert.Equal(t, 4, m.mt.GetTotalCallCount(), "login, call, login, call")
	})
	t.Run("wrong credentials fail with ErrAuthentication", func(t *testing.T) {
		_, mock := newMockXC(t)
		bad, err := NewXClarityClient(xcBase, xcUser, "wrong", WithHTTPClient(&http.Client{Transport: mock.mt}))
		require.NoError(t, err)
		_, err = bad.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrAuthentication)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "ListBackups", e.Op, "named after the user's call")
		assert.Equal(t, "xclarity ListBackups: the login (POST /sessions) failed: xclarity Login: 401 Unauthorized: Invalid credentials (FQXHMSE0001J)", err.Error())
		var login *Error
		require.ErrorAs(t, e.Err, &login, "the login's error is the cause")
		assert.Equal(t, "Login", login.Op)
		assert.Equal(t, http.StatusUnauthorized, login.HTTPStatus)
		require.NotEmpty(t, login.Messages)
		assert.Equal(t, "FQXHMSE0001J", login.Messages[0].ID)
	})
	t.Run("20 concurrent first calls log in once", func(t *testing.T) {
		c, m := newMockXC(t)
		m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.ListBackups(context.Background())
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.NoError(t, err)
		}
		assert.EqualValues(t, 1, m.logins.Load())
	})
	t.Run("Close logs out once", func(t *testing.T) {
		c, m := newMockXC(t)
		m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
		_, err := c.ListBackups(context.Background())
		require.NoError(t, err)
		require.NoError(t, c.Close(context.Background()))
		require.NoError(t, c.Close(context.Background()), "a second Close does nothing")
		assert.EqualValues(t, 1, m.logouts.Load())
	})
	t.Run("Close of a session the appliance expired succeeds", func(t *testing.T) {
		c, m := newMockXC(t)
		m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
		_, err := c.ListBackups(context.Background())
		require.NoError(t, err)
		m.expire()
		require.NoError(t, c.Close(context.Background()))
		assert.Zero(t, m.logouts.Load(), "the appliance had nothing left to end")
	})
	t.Run("WithBasicAuth sends Basic credentials and no session", func(t *testing.T) {
		c, m := newMockXC(t, WithBasicAuth())
		var auth string
		m.mt.RegisterResponder("GET", xcBase+"/managementServer/data", func(r *http.Request) (*http.Response, error) {
			auth = r.Header.Get("Authorization")
			return xcFixture(t, "backups.json")(r)
		})
		_, err := c.ListBackups(context.Background())
		require.NoError(t, err)
		u, p, ok := (&http.Request{Header: http.Header{"Authorization": {auth}}}).BasicAuth()
		require.True(t, ok)
		assert.Equal(t, xcUser, u)
		assert.Equal(t, xcPassword, p)
		assert.Zero(t, m.logins.Load())
		require.NoError(t, c.Close(context.Background()))
	})
}

func TestXClarityClientHidesItsPassword(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
	_, err := c.ListBackups(context.Background())
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, *c} {
			s := fmt.Sprintf(verb, v)
			assert.NotContains(t, s, xcPassword)
			assert.NotContains(t, s, "csrf-1")
			assert.NotContains(t, s, "sess-1")
		}
	}
}

func TestWrongCredentialsDoNotCauseALoginStorm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, m := newMockXC(t)
		logins := 0
		m.mt.RegisterResponder("POST", xcBase+"/sessions", func(*http.Request) (*http.Response, error) {
			logins++
			time.Sleep(time.Second) // an appliance checking the password
			return httpmock.NewStringResponse(401, `{"result":"failed","messages":[{"id":"FQXHMSE0001J","text":"Invalid credentials"}]}`), nil
		})
		bad, err := NewXClarityClient(xcBase, xcUser, "wrong-password", WithHTTPClient(&http.Client{Transport: m.mt}))
		require.NoError(t, err)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Go(func() {
				_, err := bad.ListBackups(context.Background())
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.ErrorIs(t, err, ErrAuthentication, "every waiter shares the login's failure")
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "ListBackups", e.Op)
		}
		assert.Equal(t, 1, logins, "20 concurrent calls made one login")

		time.Sleep(LoginFailureHold / 2)
		_, err = bad.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrAuthentication)
		assert.Contains(t, err.Error(), "not tried again yet")
		assert.Equal(t, 1, logins, "a refused login is not tried again within the hold")

		time.Sleep(LoginFailureHold)
		_, err = bad.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrAuthentication)
		assert.Equal(t, 2, logins, "after the hold, the next call tries again")
	})
}

func TestALoginWhoseCallerGaveUpIsNotSharedAsAFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, m := newMockXC(t)
		m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
		first, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		ok := make(chan error, 1)
		m.mt.RegisterResponder("POST", xcBase+"/sessions", func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done() // the first login hangs until its caller gives up
			return nil, r.Context().Err()
		})
		go func() {
			time.Sleep(time.Millisecond) // wait behind the first caller's login
			newMockLogin(t, m)           // the appliance answers from now on
			_, err := c.ListBackups(context.Background())
			ok <- err
		}()
		_, err := c.ListBackups(first)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NoError(t, <-ok, "the waiter logs in itself instead of taking the other caller's deadline")
	})
}

func TestClose(t *testing.T) {
	t.Run("calls after Close fail with ErrClosed and open no session", func(t *testing.T) {
		c, m := newMockXC(t)
		m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
		_, err := c.ListBackups(context.Background())
		require.NoError(t, err)
		require.NoError(t, c.Close(context.Background()))
		_, err = c.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrClosed)
		assert.EqualError(t, err, "xclarity ListBackups: the client is closed (Close was called)")
		assert.EqualValues(t, 1, m.logins.Load(), "no new session")
		assert.EqualValues(t, 1, m.logouts.Load())
		assert.NoError(t, c.Close(context.Background()), "closing twice is harmless")
	})
	t.Run("with Basic authentication too", func(t *testing.T) {
		c, m := newMockXC(t, WithBasicAuth())
		require.NoError(t, c.Close(context.Background()))
		_, err := c.ListBackups(context.Background())
		assert.ErrorIs(t, err, ErrClosed)
		assert.Zero(t, m.mt.GetTotalCallCount())
	})
	t.Run("a login under way when Close is called ends its session", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, m := newMockXC(t)
			m.handle("GET", "/managementServer/data", xcFixture(t, "backups.json"))
			release := make(chan struct{})
			m.mt.RegisterResponder("POST", xcBase+"/sessions", func(r *http.Request) (*http.Response, error) {
				<-release
				return m.loginResponder(r)
			})
			result := make(chan error, 1)
			go func() {
				_, err := c.ListBackups(context.Background())
				result <- err
			}()
			synctest.Wait() // the login is under way
			closed := make(chan error, 1)
			go func() { closed <- c.Close(context.Background()) }()
			synctest.Wait()
			close(release)
			require.NoError(t, <-closed)
			assert.ErrorIs(t, <-result, ErrClosed)
			assert.EqualValues(t, 1, m.logins.Load())
			assert.EqualValues(t, 1, m.logouts.Load(), "the session the login opened was ended")
			m.mu.Lock()
			assert.Empty(t, m.valid, "no session is left open")
			m.mu.Unlock()
		})
	})
}

func TestAnXClarity404PageIsNotNotFound(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/tasks/17", pageResponder(404, "text/html", "<html><body>Not Found</body></html>"))
	_, err := c.GetJob(context.Background(), "17")
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.NotErrorIs(t, err, ErrNotFound, "a web page says the path is missing, not the job")

	m.handle("GET", "/tasks/18", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(404, `{"result":"failed","messages":[{"id":"FQXHMSE0404J","text":"not found"}]}`)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	_, err = c.GetJob(context.Background(), "18")
	assert.ErrorIs(t, err, ErrNotFound, "the appliance's own 404 answer")
}

func TestXClarityDo(t *testing.T) {
	c, m := newMockXC(t)
	m.handle("GET", "/aicc", jsonResponder(200, `{"version":"4.1"}`))
	var out struct{ Version string }
	require.NoError(t, c.Do(context.Background(), "GET", "aicc", nil, &out))
	assert.Equal(t, "4.1", out.Version)
}

// TestALoginThatTimesOutAtTheApplianceIsShared: the appliance never
// answers the login; 6 concurrent calls wait for one login (its attempts
// retried within the retry budget) and share its failure, instead of each
// leading a login of its own in turn.
func TestALoginThatTimesOutAtTheApplianceIsShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, m := newMockXC(t)
		var logins atomic.Int32
		m.mt.RegisterResponder("POST", xcBase+"/sessions", func(r *http.Request) (*http.Response, error) {
			logins.Add(1)
			<-r.Context().Done() // until net/http's attempt timeout (WithTimeout) gives up
			return nil, r.Context().Err()
		})
		c, err := NewXClarityClient(xcBase, xcUser, xcPassword, WithHTTPClient(&http.Client{Transport: m.mt}),
			WithRetry(2, time.Millisecond, time.Millisecond), WithTimeout(time.Minute))
		require.NoError(t, err)
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for range 6 {
			wg.Go(func() {
				_, err := c.ListBackups(context.Background())
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.ErrorIs(t, err, ErrUnavailable, "every waiter shares the login's failure")
			assert.NotErrorIs(t, err, context.Canceled)
		}
		assert.EqualValues(t, 3, logins.Load(), "one login of 2+1 attempts, not one per call")
		assert.Less(t, time.Since(start), 4*time.Minute, "the calls waited for one login, not six in turn")
	})
}
