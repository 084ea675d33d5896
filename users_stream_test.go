package backupapi

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// usersBody streams a ListUsers answer of n users, with Status first or last.
func usersBody(n int, statusLast bool) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		if !statusLast {
			_, _ = io.WriteString(pw, `{"Status":"OK","User":[`)
		} else {
			_, _ = io.WriteString(pw, `{"User":[`)
		}
		for i := 0; i < n; i++ {
			if i > 0 {
				_, _ = io.WriteString(pw, ",")
			}
			_, _ = fmt.Fprintf(pw, `{"LoginName":"user%d","QuotaUsed":"%d","Extra":{"deep":[1,2,3]}}`, i, i)
		}
		if statusLast {
			_, _ = io.WriteString(pw, `],"Status":"OK"}`)
		} else {
			_, _ = io.WriteString(pw, `]}`)
		}
		_ = pw.Close()
	}()
	return pr
}

func streamResponder(body func() io.ReadCloser) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: body()}, nil
	}
}

func TestAllUsers(t *testing.T) {
	t.Run("streams every user in order", func(t *testing.T) {
		for _, statusLast := range []bool{false, true} {
			c, mt := newMockAhsay(t)
			mt.RegisterResponder("POST", listPath, streamResponder(func() io.ReadCloser { return usersBody(2500, statusLast) }))
			n := 0
			for u, err := range c.AllUsers(context.Background(), nil) {
				require.NoError(t, err)
				require.Equal(t, fmt.Sprintf("user%d", n), u.LoginName)
				require.Equal(t, Bytes(n), u.QuotaUsed)
				n++
			}
			assert.Equal(t, 2500, n)
		}
	})
	t.Run("stops when the consumer breaks", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", listPath, streamResponder(func() io.ReadCloser { return usersBody(100, false) }))
		n := 0
		for range c.AllUsers(context.Background(), nil) {
			n++
			if n == 3 {
				break
			}
		}
		assert.Equal(t, 3, n)
	})
	t.Run("yields the server's error", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", listPath, jsonResponder(200, `{"Status":"Error","Message":"Incorrect system username/password","ExptType":"com.ahsay.obs.core.dbs.c"}`))
		var errs []error
		for _, err := range c.AllUsers(context.Background(), nil) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrAuthentication)
	})
	t.Run("yields users then a truncation error", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", listPath, jsonResponder(200, `{"Status":"OK","User":[{"LoginName":"a"},{"LoginName":"b"},{"Login`))
		names, last := collectUsers(c.AllUsers(context.Background(), nil))
		assert.Equal(t, []string{"a", "b"}, names)
		assert.ErrorIs(t, last, ErrUnexpectedResponse)
	})
	t.Run("bounds each record, not the stream", func(t *testing.T) {
		c, mt := newMockAhsay(t, WithMaxResponseBytes(4096))
		mt.RegisterResponder("POST", listPath, streamResponder(func() io.ReadCloser { return usersBody(1000, false) }))
		n := 0
		for _, err := range c.AllUsers(context.Background(), nil) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 1000, n, "a stream far beyond 4 KiB passes when each user is small")

		huge := `{"Status":"OK","User":[{"LoginName":"` + strings.Repeat("x", 10000) + `"}]}`
		mt.RegisterResponder("POST", listPath, jsonResponder(200, huge))
		var last error
		for _, err := range c.AllUsers(context.Background(), nil) {
			last = err
		}
		assert.ErrorIs(t, last, ErrUnexpectedResponse)
		assert.Contains(t, last.Error(), "4096-byte limit")
	})
	t.Run("an HTML page is an unexpected response", func(t *testing.T) {
		c, mt := newMockAhsay(t)
		mt.RegisterResponder("POST", listPath, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(200, "<html>login</html>")
			r.Header.Set("Content-Type", "text/html; charset=utf-8")
			return r, nil
		})
		for _, err := range c.AllUsers(context.Background(), nil) {
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
		}
	})
}

func BenchmarkAllUsers1k(b *testing.B) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", listPath, streamResponder(func() io.ReadCloser { return usersBody(1000, false) }))
	c, err := NewAhsayClient(testBase, testSysUser, testSysPwd, WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range c.AllUsers(context.Background(), nil) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestAllUsersEndsAStalledStream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockAhsay(t, WithTimeout(time.Second), WithRetry(1, time.Millisecond, time.Millisecond))
		mt.RegisterResponder("POST", listPath, func(r *http.Request) (*http.Response, error) {
			pr, pw := io.Pipe()
			go func() {
				_, _ = io.WriteString(pw, `{"Status":"OK","User":[{"LoginName":"a"},`)
				<-r.Context().Done() // then nothing more, until the client gives up
				_ = pw.CloseWithError(r.Context().Err())
			}()
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: pr}, nil
		})
		start := time.Now()
		names, last := collectUsers(c.AllUsers(context.Background(), nil))
		assert.Equal(t, []string{"a"}, names)
		require.Error(t, last)
		assert.ErrorIs(t, last, ErrUnexpectedResponse)
		assert.Contains(t, last.Error(), "WithTimeout")
		assert.Equal(t, time.Second, time.Since(start), "the stream ends one attempt timeout after data stopped")
		assert.Equal(t, 1, mt.GetTotalCallCount(), "not repeated: the consumer has seen users")
	})
}

// collectUsers reads a user stream up to its first error.
func collectUsers(users iter.Seq2[User, error]) (names []string, err error) {
	for u, err := range users {
		if err != nil {
			return names, err
		}
		names = append(names, u.LoginName)
	}
	return names, nil
}

func TestAllUsersBoundsTheWaitForHeaders(t *testing.T) {
	stall := func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	t.Run("a stalled first answer is repeated", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithTimeout(time.Second), WithRetry(1, time.Millisecond, time.Millisecond))
			mt.RegisterResponder("POST", listPath, httpmock.Responder(stall).Then(okUsers))
			names, err := collectUsers(c.AllUsers(context.Background(), nil))
			require.NoError(t, err)
			assert.Equal(t, []string{"a"}, names)
			assert.Equal(t, 2, mt.GetTotalCallCount())
		})
	})
	t.Run("a server that never answers is unavailable, with the reason", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockAhsay(t, WithTimeout(time.Second), WithRetry(1, time.Millisecond, time.Millisecond))
			mt.RegisterResponder("POST", listPath, stall)
			start := time.Now()
			_, err := collectUsers(c.AllUsers(context.Background(), nil))
			assert.ErrorIs(t, err, ErrUnavailable)
			assert.ErrorIs(t, err, errIdle)
			assert.Contains(t, err.Error(), "attempt timeout")
			assert.Equal(t, 2*time.Second, time.Since(start).Truncate(time.Second), "two attempts of one second each")
		})
	})
}

func TestAllUsersCountsOnlyNetworkTimeAsIdle(t *testing.T) {
	c := newLoopbackAhsay(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// Users large enough that the decoder reads again after each one.
		notes := strings.Repeat("n", 64<<10)
		_, _ = fmt.Fprintf(w, `{"Status":"OK","User":[{"LoginName":"a","Notes":%q},{"LoginName":"b","Notes":%q},{"LoginName":"c","Notes":%q}]}`, notes, notes, notes)
	}), WithTimeout(100*time.Millisecond))
	var names []string
	for u, err := range c.AllUsers(context.Background(), nil) {
		require.NoError(t, err, "a slow consumer is not an idle server")
		names = append(names, u.LoginName)
		time.Sleep(150 * time.Millisecond) // the caller's own work on each user
	}
	assert.Equal(t, []string{"a", "b", "c"}, names)
}
