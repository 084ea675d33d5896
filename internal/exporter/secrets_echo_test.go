package exporter

import (
	"fmt"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
)

// TestNoSecretReachesTheExporterWhenServersEchoThem: both servers quote
// every request back (the system password in its body, the appliance's
// login) in each answer and error of the calls a refresh makes; neither
// password shows in the logs, /metrics or /probe.
func TestNoSecretReachesTheExporterWhenServersEchoThem(t *testing.T) {
	ahsayOps := []string{backupapitest.OpListUsers, backupapitest.OpListBackupSets, backupapitest.OpListBackupJobs,
		backupapitest.OpListBackupJobStatus, backupapitest.OpGetLicense}
	xcOps := []string{backupapitest.OpLogin, backupapitest.OpListBackups, backupapitest.OpListJobs, backupapitest.OpQuiesceStatus}
	for _, status := range []int{0, 400, 401, 500} {
		for i := range max(len(ahsayOps), len(xcOps)) {
			ahsayOp, xcOp := ahsayOps[i%len(ahsayOps)], xcOps[i%len(xcOps)]
			t.Run(fmt.Sprintf("%s and %s echo with status %d", ahsayOp, xcOp, status), func(t *testing.T) {
				f := startFleet(t, "")
				echo := backupapitest.Fault{Body: backupapitest.BodyEcho, Status: status, Times: -1}
				f.ahsay.Inject(ahsayOp, echo)
				f.xc.Inject(xcOp, echo)
				for _, tg := range f.exp.targets {
					tg.refreshOnce(t.Context())
				}
				_, metrics := f.get(t, "/metrics")
				_, cbs := f.get(t, "/probe?target=cbs")
				_, lxca := f.get(t, "/probe?target=lxca")
				for _, secret := range []string{testAhsayPassword, f.xc.Password} {
					assert.NotContains(t, f.logs.String(), secret, "the logs")
					assert.NotContains(t, metrics+cbs+lxca, secret, "the metrics")
				}
			})
		}
	}
}
