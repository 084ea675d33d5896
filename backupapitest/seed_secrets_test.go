package backupapitest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secretSeedKeys walks the seed schema for the keys that hold secrets,
// returning for each a document that reaches it: leaf(value) puts value
// at the key, through the objects and arrays above it.
func secretSeedKeys(t *testing.T) map[string]func(leaf any) any {
	t.Helper()
	c := &schemaChecker{root: seedSchemaRoot}
	out := map[string]func(any) any{}
	var walk func(s schema, path string, wrap func(any) any, depth int)
	walk = func(s schema, path string, wrap func(any) any, depth int) {
		if depth > 8 {
			return
		}
		s = c.resolve(s)
		if items, ok := s["items"].(map[string]any); ok {
			walk(items, path+"[0]", func(v any) any { return wrap([]any{v}) }, depth+1)
			return
		}
		props, _ := s["properties"].(map[string]any)
		for key, p := range props {
			at := joinPath(path, key)
			inner := func(v any) any { return wrap(map[string]any{key: v}) }
			if secretKey(key) {
				out[at] = inner
				continue
			}
			walk(p.(map[string]any), at, inner, depth+1)
		}
	}
	walk(seedSchemaRoot, "", func(v any) any { return v }, 0)
	require.NotEmpty(t, out)
	return out
}

// A secret given with the wrong type (a numeric password, as a YAML
// conversion makes) must not be quoted by the error that refuses it.
func TestASeedErrorNeverQuotesASecret(t *testing.T) {
	const secret = 987654321
	keys := secretSeedKeys(t)
	assert.Contains(t, keys, "ahsay.users[0].password")
	assert.Contains(t, keys, "ahsay.license.key")
	for path, at := range keys {
		for _, wrong := range []any{secret, []any{"987654321"}, map[string]any{"x": "987654321"}, true} {
			doc, err := json.Marshal(at(wrong))
			require.NoError(t, err)
			t.Run(path+" "+string(doc), func(t *testing.T) {
				_, err := DecodeSeed(strings.NewReader(string(doc)))
				require.Error(t, err)
				assert.Contains(t, err.Error(), path+": ", "refused at the key")
				assert.NotContains(t, err.Error(), "987654321")
			})
		}
	}
}
