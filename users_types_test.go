package backupapi

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

func TestUserQuotasReturnsWhicheverListIsFilled(t *testing.T) {
	var fromExample, fromTable User
	require.NoError(t, json.Unmarshal([]byte(`{"QuotaList":[{"DestinationKey":"OBS","Quota":52428800,"Enabled":true}]}`), &fromExample))
	require.NoError(t, json.Unmarshal([]byte(`{"DestinationQuotaList":[{"DestinationKey":"-1","DestinationName":"OneDrive-1","Quota":"1024"}]}`), &fromTable))
	require.Len(t, fromExample.Quotas(), 1)
	assert.Equal(t, 50*MiB, fromExample.Quotas()[0].Quota, "the reference's example fills QuotaList")
	require.Len(t, fromTable.Quotas(), 1)
	assert.Equal(t, "OneDrive-1", fromTable.Quotas()[0].DestinationName, "the table's DestinationQuotaList")
	assert.Equal(t, KiB, fromTable.Quotas()[0].Quota, "a size sent as a string")
	assert.Empty(t, (&User{}).Quotas())
}
