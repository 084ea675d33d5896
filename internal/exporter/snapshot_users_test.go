package exporter

import (
	"context"
	"fmt"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildUsers fills a builder's users section as an AhsayCBS refresh does:
// each user's three samples share one label set.
func buildUsers(b *builder, logins []string) {
	b.section(usersSection)
	for _, login := range logins {
		ls := b.labels(mUserLastBackup, []string{"t", "owner", login})
		for _, m := range []*MetricInfo{mUserLastBackup, mUserQuotaUsed, mUserQuota} {
			b.shared(m, ls, 1)
		}
	}
	b.section("")
}

func logins(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("user%05d", i)
	}
	return out
}

func TestTheBuilderHoldsNothingPerUser(t *testing.T) {
	interned := map[int]int{}
	for _, users := range []int{10, 1000} {
		b := newBuilder(64)
		buildUsers(b, logins(users))
		look := newUserPairs(b, samplesPerUser, userPairsWindow(0))
		for _, login := range logins(users) {
			b.section("sets /" + login)
			for set := range 3 {
				ls := b.labels(mSetLastSuccess, []string{"t", "owner", login, fmt.Sprintf("Set %d", set), fmt.Sprintf("17%05d", set)}, look.find("owner", login))
				b.shared(mSetLastSuccess, ls, 1)
				b.shared(mSetOutcome, b.with(ls, "outcome", "success"), 1)
			}
		}
		interned[users] = len(b.pairs)
	}
	assert.Equal(t, interned[10], interned[1000],
		"the pairs interned for the snapshot grow with the users: a per-user label is held for the whole refresh")
}

func TestUserPairsFindsTheUsersSectionsPair(t *testing.T) {
	b := newBuilder(64)
	all := logins(200)
	buildUsers(b, all)
	want := func(i int) *dto.LabelPair {
		return pairNamed(b.s.samples[b.s.sections[usersSection].from+i*samplesPerUser].labels, "user")
	}
	for _, tc := range []struct {
		name  string
		order []int // the users asked for, by their place in the listing
		found []bool
	}{
		{"in the listing's order", []int{0, 1, 2, 3}, []bool{true, true, true, true}},
		{"a few users apart, either way", []int{5, 3, 9, 4, 2}, []bool{true, true, true, true, true}},
		{"a user far beyond the window is not looked for", []int{0, 199}, []bool{true, false}},
		{"the same user again is the same pair", []int{7, 7}, []bool{true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			look := newUserPairs(b, samplesPerUser, 16)
			for k, i := range tc.order {
				got := look.find("owner", all[i])
				if !tc.found[k] {
					assert.Nil(t, got, "user %d", i)
					continue
				}
				assert.Same(t, want(i), got, "user %d", i)
			}
		})
	}
	t.Run("a user the section lacks has no pair", func(t *testing.T) {
		assert.Nil(t, newUserPairs(b, samplesPerUser, 16).find("owner", "mallory"))
	})
	t.Run("a login of another owner is another user", func(t *testing.T) {
		assert.Nil(t, newUserPairs(b, samplesPerUser, 16).find("other-owner", all[0]))
	})
	t.Run("a builder without a users section finds nothing", func(t *testing.T) {
		assert.Nil(t, newUserPairs(newBuilder(8), samplesPerUser, 16).find("owner", all[0]))
	})
}

// TestARefreshSharesEachUsersPair: in a refresh's snapshot every set
// sample of a user holds the very pair the user's samples hold, with the
// right value, and a set's labels still read as they were written.
func TestARefreshSharesEachUsersPair(t *testing.T) {
	f := startFleet(t, "")
	f.stop()
	tg := f.exp.byName["cbs"]
	tg.refreshOnce(context.Background())
	snap, _ := tg.served()
	require.NotNil(t, snap)

	byUser := map[[2]string]*dto.LabelPair{}
	users := snap.sections[usersSection]
	for _, s := range snap.samples[users.from:users.to] {
		byUser[[2]string{pairNamed(s.labels, "owner").GetValue(), pairNamed(s.labels, "user").GetValue()}] = pairNamed(s.labels, "user")
	}
	sets := 0
	for _, s := range snap.samples {
		if s.desc != mSetLastSuccess.desc && s.desc != mSetOutcome.desc {
			continue
		}
		sets++
		u := pairNamed(s.labels, "user")
		key := [2]string{pairNamed(s.labels, "owner").GetValue(), u.GetValue()}
		require.Contains(t, byUser, key)
		assert.Same(t, byUser[key], u, "set %s of %v", pairNamed(s.labels, "set").GetValue(), key)
		assert.Equal(t, string(appendLabels(nil, s.labels)), s.text)
	}
	assert.Greater(t, sets, 8, "the fleet's sets were read")
}
