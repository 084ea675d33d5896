package backupapitest_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
)

// TestAHugeRequestBodyCostsTheFakeABoundedAmount: a SysPwd of 24 or 64
// MB in a JSON or form body is refused as too large, and the fake spends
// the same memory on both: what it reads is bounded by its body limit
// (16 MiB), not by the body. The answer never quotes the body.
func TestAHugeRequestBodyCostsTheFakeABoundedAmount(t *testing.T) {
	cases := []struct {
		name, contentType string
		body              func(secret string) string
	}{
		{"a JSON body", "application/json", func(s string) string { return `{"SysUser":"system","SysPwd":"` + s + `"}` }},
		{"a form body", "application/x-www-form-urlencoded", func(s string) string { return "SysUser=system&SysPwd=" + s }},
	}
	const small, large = 24 << 20, 64 << 20
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			serve := func(size int) uint64 {
				ahsay := backupapitest.NewUnstartedAhsayServer()
				req := httptest.NewRequest(http.MethodPost, "/obs/api/json/ListUsers.do", strings.NewReader(tc.body(strings.Repeat("p", size))))
				req.Header.Set("Content-Type", tc.contentType)
				rec := httptest.NewRecorder()
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				ahsay.Handler().ServeHTTP(rec, req)
				runtime.ReadMemStats(&after)
				assert.Contains(t, rec.Body.String(), "larger than 16 MiB")
				assert.False(t, bytes.Contains(rec.Body.Bytes(), []byte("pppp")), "the answer does not quote the body")
				assert.Len(t, ahsay.Requests(), 1, "recorded, described")
				return after.TotalAlloc - before.TotalAlloc
			}
			a, b := serve(small), serve(large)
			t.Logf("%d bytes allocated for a %d-byte secret, %d for a %d-byte one", a, small, b, large)
			assert.Less(t, int64(b)-int64(a), int64(8<<20), "40 MB more of body cost (almost) nothing more")
		})
	}
}
