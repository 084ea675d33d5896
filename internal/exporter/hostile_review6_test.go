package exporter

import (
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileNames hold everything a text-format line or a plugin line could
// trip on.
var hostileNames = []string{
	"pipe | ok=1", "it's", "a=b", "semi;colon", "new\nline", "esc\x1b[2Jape", `quote"d`, `back\slash`,
	"brace} x{", "# HELP fake", "tab\there", "nul\x00byte", "ünïcödé 🗄", "\u2028sep", "trailing\\",
}

func TestHostileNamesKeepTheExpositionValid(t *testing.T) {
	f := startFleet(t, "")
	for i, name := range hostileNames {
		f.ahsay.SeedHistory("", "mallory", backupapitest.AhsayHistory{
			Set: backupapitest.AhsayBackupSet{ID: "19000000001" + string(rune('0'+i/10)) + string(rune('0'+i%10)), Name: name}})
	}
	tg := f.exp.byName["cbs"]
	tg.refreshOnce(t.Context())
	_, text := f.get(t, "/metrics")

	fams := families(t, text)
	got := map[string]bool{}
	for _, m := range fams["backupapi_ahsay_backup_set_overdue"].GetMetric() {
		for _, lp := range m.GetLabel() {
			if lp.GetName() == "set" {
				got[lp.GetValue()] = true
			}
		}
	}
	for _, name := range hostileNames {
		assert.True(t, got[name], "the set %q reads back as it is", name)
	}
	if promtool, err := exec.LookPath("promtool"); err == nil {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.CombinedOutput()
		assert.NoError(t, err, "%s", out)
	} else {
		needTool(t, "promtool")
	}
}

func TestProbeWithHostileTargetNames(t *testing.T) {
	f := startFleet(t, "")
	for _, name := range []string{"", "nope", "cbs\n", "<script>alert(1)</script>", "cbs\x1b[2J", "../cbs", "cbs&target=lxca", strings.Repeat("x", 10000)} {
		t.Run(url.QueryEscape(name[:min(len(name), 30)]), func(t *testing.T) {
			resp, err := http.Get(f.url + "/probe?target=" + url.QueryEscape(name))
			require.NoError(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			code, body := resp.StatusCode, string(b)
			want := 404 // an unknown name
			if name == "" {
				want = 400 // no name at all
			}
			assert.Equal(t, want, code)
			assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"), "never HTML")
			assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
			assert.NotContains(t, body, "\x1b", "no raw escape")
			assert.Less(t, len(body), 1000, "the answer does not echo 10 kB back")
		})
	}
	code, body := f.get(t, "/probe?target=cbs&target=lxca")
	require.Equal(t, 200, code)
	assert.NotContains(t, body, `target="lxca"`, "one target only")
}
