package backupapi

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURLCache(t *testing.T) {
	t.Run("each call gets its own copy of a cached URL", func(t *testing.T) {
		var c urlCache
		a, err := c.resolve("https://cbs.example.com", "/obs/api/json/2/GetUser.do")
		require.NoError(t, err)
		a.Path = "/changed"
		b, err := c.resolve("https://cbs.example.com", "/obs/api/json/2/GetUser.do")
		require.NoError(t, err)
		assert.Equal(t, "https://cbs.example.com/obs/api/json/2/GetUser.do", b.String())
	})
	t.Run("keeps a path's query", func(t *testing.T) {
		var c urlCache
		u, err := c.resolve("https://xc.example.com", "/managementServer/data?action=validate")
		require.NoError(t, err)
		assert.Equal(t, "/managementServer/data", u.Path)
		assert.Equal(t, "action=validate", u.RawQuery)
	})
	t.Run("stops growing at its limit and still resolves", func(t *testing.T) {
		var c urlCache
		for i := 0; i < maxCachedURLs+50; i++ {
			u, err := c.resolve("https://xc.example.com", fmt.Sprintf("/jobs/%d", i))
			require.NoError(t, err)
			require.Equal(t, fmt.Sprintf("/jobs/%d", i), u.Path)
		}
		assert.Len(t, c.m, maxCachedURLs)
	})
	t.Run("reports a path that does not parse", func(t *testing.T) {
		var c urlCache
		_, err := c.resolve("https://xc.example.com", "/bad%zz")
		assert.Error(t, err)
	})
}
