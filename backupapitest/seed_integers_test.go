package backupapitest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPlainIntegersRewritesObjectValuesAndArrayElementsAlike: an object's
// values and an array's elements are rewritten by one rule (plainInteger),
// at any depth, and the report says whether anything changed.
func TestPlainIntegersRewritesObjectValuesAndArrayElementsAlike(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
		changed         bool
	}{
		{"an object's value", `{"n":5.0}`, `{"n":5}`, true},
		{"an array's element", `[1,2.0,3e1]`, `[1,2,30]`, true},
		{"nested both ways", `{"a":[{"b":[1.50e2]}]}`, `{"a":[{"b":[150]}]}`, true},
		{"plain integers: unchanged", `{"a":[1,2],"b":{"c":3}}`, `{"a":[1,2],"b":{"c":3}}`, false},
		{"a fraction stays as it is (the schema refuses it later)", `{"a":[1.5],"b":2.5}`, `{"a":[1.5],"b":2.5}`, false},
		{"strings and other values are left alone", `{"a":["1.0",true,null]}`, `{"a":["1.0",true,null]}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := json.NewDecoder(strings.NewReader(tc.doc))
			d.UseNumber()
			var doc any
			require.NoError(t, d.Decode(&doc))
			assert.Equal(t, tc.changed, plainIntegers(doc))
			got, err := json.Marshal(doc)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got), "numbers as written")
		})
	}
}
