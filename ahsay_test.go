package backupapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOKWithExptTypeIsAnError(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/RunSingleUserRebuild.do",
		jsonResponder(200, `{"Status":"OK","Message":"Something new","ExptType":"x.y"}`))
	err := c.RunSingleUserRebuild(context.Background(), &RebuildRequest{UserRef: obm, BackupSetID: "1"})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Something new", e.Message)
	for _, s := range allSentinels {
		assert.NotErrorIs(t, err, s, "an unknown message matches no sentinel")
	}
}

func TestDoDecodesTheWholeAnswer(t *testing.T) {
	c, mt := newMockAhsay(t)
	mt.RegisterResponder("POST", testBase+"/obs/api/json/2/ListBackupSets.do",
		jsonResponder(200, `{"Status":"OK","Data":[{"ID":"1"}]}`))
	var out struct {
		Data []struct{ ID string }
	}
	require.NoError(t, c.Do(context.Background(), "/obs/api/json/2/ListBackupSets.do", nil, &out))
	assert.Equal(t, "1", out.Data[0].ID)
}

func TestDoRefusesARequestThatIsNotAnObject(t *testing.T) {
	c, _ := newMockAhsay(t)
	err := c.Do(context.Background(), "X", []int{1}, nil)
	assert.ErrorIs(t, err, ErrInvalidRequest)
}
