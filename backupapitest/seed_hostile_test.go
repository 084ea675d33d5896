package backupapitest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedProblems decodes and applies a seed to fresh servers and returns the
// paths of its problems.
func seedProblems(t *testing.T, doc string) []string {
	t.Helper()
	seed, err := backupapitest.DecodeSeed(strings.NewReader(doc))
	if err == nil {
		err = backupapitest.ApplySeed(seed, backupapitest.NewUnstartedAhsayServer(), backupapitest.NewUnstartedXClarityServer())
	}
	require.Error(t, err, "the seed is refused")
	var paths []string
	for _, e := range unjoin(err) {
		var se *backupapitest.SeedError
		require.True(t, errors.As(e, &se), "%v is a *SeedError", e)
		paths = append(paths, se.Path)
	}
	return paths
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// The schema checker reads a document as a map (the last of two equal keys
// wins) while encoding/json merges two objects given under one key: a key
// given twice would let the first object past the schema.
func TestAKeyGivenTwiceIsRefusedWithItsPath(t *testing.T) {
	cases := []struct{ name, doc, path string }{
		{"at the top, hiding old-style keys in the first", `{"ahsay":{"Users":[{"LoginName":"sneaky","bogus":1}]},"ahsay":{}}`, "ahsay"},
		{"in a product", `{"ahsay":{"users":[{"loginName":"a"}],"users":[{"loginName":"b"}]}}`, "ahsay.users"},
		{"in a user", `{"ahsay":{"users":[{"loginName":"a","loginName":"b"}]}}`, "ahsay.users[0].loginName"},
		{"in the licence's quotas", `{"ahsay":{"license":{"quotas":{"VMQuota":1,"VMQuota":2}}}}`, "ahsay.license.quotas.VMQuota"},
		{"in free-form module settings", `{"ahsay":{"users":[{"loginName":"a","modules":{"x":{"y":1,"y":2}}}]}}`, "ahsay.users[0].modules.x.y"},
		{"in the job settings", `{"jobs":{"duration":"1s","duration":"2s"}}`, "jobs.duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			paths := seedProblems(t, tc.doc)
			assert.Contains(t, paths, tc.path)
		})
	}
	t.Run("equal keys in different objects are fine", func(t *testing.T) {
		_, err := backupapitest.DecodeSeed(strings.NewReader(`{"ahsay":{"users":[{"loginName":"a"},{"loginName":"b"}]}}`))
		assert.NoError(t, err)
	})
}

func TestADurationOutOfRangeIsRefusedWithItsPath(t *testing.T) {
	for _, tc := range []struct{ doc, path string }{
		{`{"jobs":{"duration":"99999999999h"}}`, "jobs.duration"},
		{`{"xclarity":{"sessionTimeout":"99999999999h"}}`, "xclarity.sessionTimeout"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			assert.Equal(t, []string{tc.path}, seedProblems(t, tc.doc))
		})
	}
}

func TestASystemUserGivenTwiceIsRefused(t *testing.T) {
	paths := seedProblems(t, `{"ahsay":{"systemUsers":[{"name":"m","role":"ADMIN"},{"name":"m","role":"API_ONLY"}]}}`)
	assert.Equal(t, []string{"ahsay.systemUsers[1].name"}, paths)
}

// JSON Schema counts 1.0 as an integer, and a harness in Python writes a
// computed size as 5505024.0: the decoder must read what the schema admits.
func TestAnIntegerWrittenWithAFractionOrExponentIsAnInteger(t *testing.T) {
	for _, n := range []string{"5505024", "5505024.0", "5505024.000", "5.505024e6", "5505024E0", "55050240e-1"} {
		t.Run(n, func(t *testing.T) {
			seed, err := backupapitest.DecodeSeed(strings.NewReader(`{"ahsay":{"storageStats":[{"loginName":"a","yearMonth":"2026-11","dataBytes":` + n + `}],
				"license":{"quotas":{"VMQuota":` + n + `}}}}`))
			require.NoError(t, err)
			assert.Equal(t, int64(5505024), seed.Ahsay.StorageStats[0].DataBytes)
			assert.Equal(t, int64(5505024), seed.Ahsay.License.Quotas["VMQuota"])
		})
	}
	for _, n := range []string{"1.5", "5505024.5", "1e400", "1e999999", "9223372036854775808", "9.3e18", "-1.0"} {
		t.Run(n+" is refused", func(t *testing.T) {
			paths := seedProblems(t, `{"ahsay":{"storageStats":[{"loginName":"a","yearMonth":"2026-11","dataBytes":`+n+`}]}}`)
			assert.Equal(t, []string{"ahsay.storageStats[0].dataBytes"}, paths)
		})
	}
}
