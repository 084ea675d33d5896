package backupapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStorageStatDataAsAnArray(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/GetUserStorageStat.do",
		jsonResponder(200, `{"Status":"OK","Data":[{"YearMonth":"2024-05","AvgDataNo":"1"},{"YearMonth":"2024-06","AvgDataNo":2}]}`))
	s, err := c.GetUserStorageStat(context.Background(), &StorageStatRequest{UserRef: obm})
	require.NoError(t, err)
	require.Len(t, s.Months, 2)
	assert.Equal(t, Int64(1), s.Months[0].AvgDataNo)
	assert.Equal(t, Int64(2), s.Months[1].AvgDataNo)
}
