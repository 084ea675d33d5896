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

// TestAHugeRequestBodyCostsTheFakeABoundedAmount: a 40 MB SysPwd in a
// JSON or form body is refused as too large, with memory bounded by the
// fake's body limit (16 MiB), not by the body; and the answer never
// quotes it.
func TestAHugeRequestBodyCostsTheFakeABoundedAmount(t *testing.T) {
	const size = 40 << 20
	huge := strings.Repeat("p", size)
	cases := []struct{ name, contentType, body string }{
		{"a JSON body", "application/json", `{"SysUser":"system","SysPwd":"` + huge + `"}`},
		{"a form body", "application/x-www-form-urlencoded", "SysUser=system&SysPwd=" + huge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ahsay := backupapitest.NewUnstartedAhsayServer()
			req := httptest.NewRequest(http.MethodPost, "/obs/api/json/ListUsers.do", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			rec := httptest.NewRecorder()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			ahsay.Handler().ServeHTTP(rec, req)
			runtime.ReadMemStats(&after)
			got := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes allocated for a %d-byte body", got, len(tc.body))
			assert.Less(t, got, uint64(size), "bounded by the fake's limit, not the body")
			assert.Contains(t, rec.Body.String(), "larger than 16 MiB")
			assert.False(t, bytes.Contains(rec.Body.Bytes(), []byte("pppp")), "the answer does not quote the body")
			assert.Len(t, ahsay.Requests(), 1, "recorded, described")
		})
	}
}
