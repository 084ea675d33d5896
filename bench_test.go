package backupapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
)

// Benchmarks of the hot paths: go test -run '^$' -bench . -benchmem

func BenchmarkEncodeRequest(b *testing.B) {
	c, err := NewAhsayClient(testBase, testSysUser, testSysPwd)
	if err != nil {
		b.Fatal(err)
	}
	req := &UpdateUserRequest{UserRef: obm, Notes: Ptr("n"), QuotaList: []Quota{{Enabled: true, DestinationKey: "OBS", Quota: 1 << 30}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.encode("UpdateUser", req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeUserDetail(b *testing.B) {
	body := fixture(b, "ahsay/GetUser_1.fixed-missing-quote.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var out struct {
			envelope
			Data *UserDetail `json:"Data"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func userListBody(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"Status":"OK","User":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"ID":"%d","LoginName":"user%d","Owner":"","UserId":"user%d","ClientType":"OBM","UserType":"PAID","Status":"ENABLE","QuotaUsed":"%d","RegistrationDate":1703141283712,"LdapDeleteUser":-1,"QuotaList":[{"DestinationKey":"OBS","Quota":52428800,"DestinationName":"AhsayCBS","Enabled":true}],"EnableDeduplication":true,"Contact":[]}`, i, i, i, i)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

func BenchmarkListUsers1k(b *testing.B) {
	body := userListBody(1000)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) { return httpmock.NewBytesResponse(200, body), nil })
	c, err := NewAhsayClient(testBase, testSysUser, testSysPwd, WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		users, err := c.ListUsers(context.Background(), nil)
		if err != nil || len(users) != 1000 {
			b.Fatal(err, len(users))
		}
	}
}

func BenchmarkDecodeJobTree(b *testing.B) {
	body := fixture(b, "xclarity/tasks-running.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var jobs oneOrMany[Job]
		if err := json.Unmarshal(body, &jobs); err != nil || len(jobs) != 1 {
			b.Fatal(err)
		}
	}
}

func BenchmarkErrorEnvelope(b *testing.B) {
	body := fixture(b, "ahsay/UpdateUser_5.json")
	c, err := NewAhsayClient(testBase, testSysUser, testSysPwd)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var env envelope
		if err := json.Unmarshal(body, &env); err != nil {
			b.Fatal(err)
		}
		if err := c.check(&callState{op: "AppendContacts", attempts: 1}, 200, &env); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkXClarityEnvelope(b *testing.B) {
	body := []byte(`{"result":"failed","messages":[{"id":"FQXHMSE0001J","text":"denied","explanation":"e","recovery":{"text":"t","URL":"u"}}]}`)
	b.ReportAllocs()
	for b.Loop() {
		var a ActionResult
		if err := json.Unmarshal(body, &a); err != nil || len(a.Messages) != 1 {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetUserMocked(b *testing.B) {
	body := fixture(b, "ahsay/GetUser_1.fixed-missing-quote.json")
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) { return httpmock.NewBytesResponse(200, body), nil })
	c, err := NewAhsayClient(testBase, testSysUser, testSysPwd, WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetUser(context.Background(), obm); err != nil {
			b.Fatal(err)
		}
	}
}
