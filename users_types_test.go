package backupapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAQuotaWrittenInGigabytesIsRefused(t *testing.T) {
	c, mt := newMockAhsay(t)
	cases := map[string]func() error{
		"AddUser": func() error {
			return c.AddUser(context.Background(), &AddUserRequest{UserRef: obm, Password: "Pa55-word",
				QuotaList: []Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50}}})
		},
		"UpdateUser": func() error {
			return c.UpdateUser(context.Background(), &UpdateUserRequest{UserRef: obm,
				QuotaList: []Quota{{Enabled: true, DestinationKey: "OBS", Quota: 50 * GiB}, {DestinationKey: "-1", Quota: 70}}})
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.ErrorIs(t, err, ErrInvalidRequest)
			assert.ErrorContains(t, err, "quotas are in bytes")
			assert.ErrorContains(t, err, "backupapi.GiB")
		})
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}
