package exporter

import (
	"context"
	"runtime"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
)

// TestAScrapeNeverWaitsOnAStalledRefresh: while a refresh hangs on a
// server that stopped answering mid-body, /metrics, /probe and /-/ready
// answer from the last snapshot.
func TestAScrapeNeverWaitsOnAStalledRefresh(t *testing.T) {
	f := startFleet(t, "")
	tg := f.exp.byName["cbs"]
	before := f.ahsay.Calls(backupapitest.OpListUsers)
	f.ahsay.Inject(backupapitest.OpListUsers, backupapitest.Fault{Body: backupapitest.BodyStall, Times: -1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); tg.refreshOnce(ctx) }()
	defer func() { cancel(); <-done }()
	for f.ahsay.Calls(backupapitest.OpListUsers) == before {
		select {
		case <-done:
			t.Fatal("the refresh ended before it stalled")
		default:
			runtime.Gosched()
		}
	}
	for _, path := range []string{"/metrics", "/probe?target=cbs", "/-/ready"} {
		code, body := f.get(t, path)
		assert.Equal(t, 200, code, path)
		if path != "/-/ready" {
			assert.Contains(t, body, `backupapi_up{error="",target="cbs",type="ahsay"} 1`, "the last good refresh is served")
		}
	}
	select {
	case <-done:
		t.Fatal("the refresh was meant to be still stalled while scraped")
	default:
	}
}
