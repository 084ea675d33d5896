package backupapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDebugLogsNameEndpointStatusAttemptAndDuration(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockAhsay(t, WithLogger(logger))
	mt.RegisterResponder("POST", listPath, statusResponder(503, "").Then(okUsers))
	_, err := c.ListUsers(context.Background(), nil)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "one line per attempt")
	for i, line := range lines {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		assert.Equal(t, "/obs/api/json/2/ListUsers.do", rec["path"])
		assert.Equal(t, float64(i+1), rec["attempt"])
		assert.Contains(t, rec, "duration")
		assert.Contains(t, rec, "status")
	}
	assert.Contains(t, lines[0], `"status":503`)
	assert.Contains(t, lines[1], `"status":200`)
}
