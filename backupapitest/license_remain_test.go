package backupapitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLicenseRemainIsQuotaLessUsedUnlessGiven(t *testing.T) {
	for _, tc := range []struct {
		name   string
		quotas map[string]int64
		want   map[string]int64 // the Remain counts answered
	}{
		{"a quota and its use give what remains", map[string]int64{"VMQuota": 5, "UsedVMQuota": 1}, map[string]int64{"RemainVMQuota": 4}},
		{"a quota without use remains whole", map[string]int64{"NasQuota": 10}, map[string]int64{"RemainNasQuota": 10}},
		{"more used than licensed remains 0, not negative", map[string]int64{"Office365Quota": 2, "UsedOffice365Quota": 3}, map[string]int64{"RemainOffice365Quota": 0}},
		{"a Remain given is answered as it is", map[string]int64{"VMQuota": 5, "UsedVMQuota": 1, "RemainVMQuota": 9}, map[string]int64{"RemainVMQuota": 9}},
		{"each module on its own", map[string]int64{"VMQuota": 5, "HypervisorSocketQuota": 8, "UsedHypervisorSocketQuota": 8},
			map[string]int64{"RemainVMQuota": 5, "RemainHypervisorSocketQuota": 0}},
		{"a Used or Remain alone makes no module", map[string]int64{"UsedNasQuota": 3, "RemainVMQuota": 1}, map[string]int64{"RemainVMQuota": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := licenseCounts(tc.quotas)
			remain := map[string]int64{}
			for k, v := range got {
				if len(k) > 6 && k[:6] == "Remain" {
					remain[k] = v
				}
			}
			assert.Equal(t, tc.want, remain)
			for k, v := range tc.quotas {
				assert.Equal(t, v, got[k], "%s is answered as seeded", k)
			}
		})
	}
}
