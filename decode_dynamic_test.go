package backupapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodedMemoryIsBoundedForDynamicDestinations: Do decodes into
// whatever the caller gives, often an any or a map[string]any, where
// every {} or [] of the answer becomes a map or slice of its own and every
// member a map entry: such answers are bounded too, whether their many
// values sit in an array or in one object.
func TestDecodedMemoryIsBoundedForDynamicDestinations(t *testing.T) {
	const limit = 1 << 20
	manyElements := `{"Status":"OK","Data":[` + strings.Repeat(`{},`, limit/3-20) + `{}]}`
	var members strings.Builder
	for i := 0; members.Len() < limit-100; i++ {
		fmt.Fprintf(&members, `"k%d":{"a":0},`, i) // a map of one entry each
	}
	manyMembers := `{"Status":"OK","Data":{` + members.String() + `"k":{}}}`
	for name, body := range map[string]string{"many elements in an array": manyElements, "many members in an object": manyMembers} {
		require.Less(t, len(body), limit)
		for _, out := range []struct {
			name string
			out  func() any
		}{
			{"into an any", func() any { return new(any) }},
			{"into a map[string]any", func() any { return new(map[string]any) }},
		} {
			t.Run(name+" "+out.name, func(t *testing.T) {
				c, mt := newMockAhsay(t, WithMaxResponseBytes(limit))
				mt.RegisterResponder("POST", "https://cbs.example.com/obs/api/json/GetThing.do", jsonResponder(200, body))
				err := c.Do(context.Background(), "GetThing", nil, out.out())
				assert.ErrorIs(t, err, ErrUnexpectedResponse)
				assert.ErrorContains(t, err, "more than the client decodes")
			})
		}
	}
	t.Run("an ordinary answer into an any passes", func(t *testing.T) {
		c, mt := newMockAhsay(t, WithMaxResponseBytes(limit))
		mt.RegisterResponder("POST", "https://cbs.example.com/obs/api/json/GetThing.do",
			jsonResponder(200, `{"Status":"OK","Data":[{"Name":"a","Size":1},{"Name":"b","Size":2}]}`))
		var out any
		require.NoError(t, c.Do(context.Background(), "GetThing", nil, &out))
		assert.Len(t, out.(map[string]any)["Data"], 2)
	})
	t.Run("real records filling the limit pass into an any", func(t *testing.T) {
		c, mt := newMockAhsay(t, WithMaxResponseBytes(limit))
		var one map[string]any
		require.NoError(t, json.Unmarshal(fixture(t, "ahsay/ListUsers_1.fixed-escapes-comma-quote.json"), &one))
		record, err := json.Marshal(one["User"].([]any)[0])
		require.NoError(t, err)
		n := (limit - 100) / (len(record) + 1)
		body := `{"Status":"OK","User":[` + strings.Repeat(string(record)+",", n-1) + string(record) + `]}`
		mt.RegisterResponder("POST", "https://cbs.example.com/obs/api/json/GetThing.do", jsonResponder(200, body))
		var out any
		require.NoError(t, c.Do(context.Background(), "GetThing", nil, &out))
		assert.Len(t, out.(map[string]any)["User"], n)
	})
	t.Run("the same through XClarity", func(t *testing.T) {
		c, m := newMockXC(t, WithMaxResponseBytes(limit))
		m.handle(http.MethodGet, "/thing", jsonResponder(200, manyMembers))
		var out any
		err := c.Do(context.Background(), http.MethodGet, "/thing", nil, &out)
		assert.ErrorIs(t, err, ErrUnexpectedResponse)
	})
}
