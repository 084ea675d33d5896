package exporter

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfig(t *testing.T) {
	const good = `targets:
  - {name: cbs, type: ahsay, url: "https://c", user: u, password_env: P}
  - {name: lxca, type: xclarity, url: "https://x", user_env: U, password_file: /f}
`
	t.Run("defaults", func(t *testing.T) {
		c, err := ParseConfig([]byte(good))
		require.NoError(t, err)
		assert.Equal(t, DefaultListen, c.Listen)
		a, x := c.Targets[0], c.Targets[1]
		assert.Equal(t, DefaultAhsayInterval, time.Duration(a.Interval))
		assert.Equal(t, DefaultXClarityInterval, time.Duration(x.Interval))
		assert.Equal(t, a.Interval, a.Timeout, "a refresh is bounded by the interval")
		assert.Equal(t, 3*a.Interval, a.KeepLastGood)
		assert.Equal(t, ModeSets, a.Mode)
		assert.Equal(t, 26*time.Hour, time.Duration(a.Freshness.Warn))
		assert.Equal(t, 15*24*time.Hour, time.Duration(x.Freshness.Critical))
	})
	t.Run("ages take days and weeks", func(t *testing.T) {
		c, err := ParseConfig([]byte(`targets:
  - {name: a, type: ahsay, url: u, user: u, password_env: P, interval: 90s, timeout: 1w, freshness: {warn: 1d12h, critical: 2w}}
`))
		require.NoError(t, err)
		a := c.Targets[0]
		assert.Equal(t, 90*time.Second, time.Duration(a.Interval))
		assert.Equal(t, a.Interval, a.Timeout, "a timeout beyond the interval is cut to it")
		assert.Equal(t, 36*time.Hour, time.Duration(a.Freshness.Warn))
		assert.Equal(t, 14*24*time.Hour, time.Duration(a.Freshness.Critical))
	})
	for _, tc := range []struct{ name, text, want string }{
		{"no targets", "listen: x\n", "no targets"},
		{"an unknown key", "targets:\n  - {name: a, type: ahsay, url: u, user: u, password_env: P, pasword: x}\n", "pasword"},
		{"a password in the file", "targets:\n  - {name: a, type: ahsay, url: u, user: u, password: x}\n", "password"},
		{"a name that is no label value we want", "targets:\n  - {name: 'a b', type: ahsay, url: u, user: u, password_env: P}\n", "name"},
		{"the same name twice", "targets:\n  - {name: a, type: ahsay, url: u, user: u, password_env: P}\n  - {name: a, type: xclarity, url: u, user: u, password_env: P}\n", "twice"},
		{"an unknown type", "targets:\n  - {name: a, type: nas, url: u, user: u, password_env: P}\n", "type"},
		{"an unknown mode", "targets:\n  - {name: a, type: ahsay, mode: all, url: u, user: u, password_env: P}\n", "mode"},
		{"no password source", "targets:\n  - {name: a, type: ahsay, url: u, user: u}\n", "password_env or password_file"},
		{"no user", "targets:\n  - {name: a, type: ahsay, url: u, password_env: P}\n", "user"},
		{"a bad age", "targets:\n  - {name: a, type: ahsay, url: u, user: u, password_env: P, interval: soon}\n", "soon"},
		{"too short an interval", "targets:\n  - {name: a, type: ahsay, url: u, user: u, password_env: P, interval: 10ms}\n", "interval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestCredentials(t *testing.T) {
	t.Setenv("EXP_USER", "api")
	t.Setenv("EXP_PW", "s3cret-pw")
	known := &secrets{}
	tg := Target{UserEnv: "EXP_USER", PasswordEnv: "EXP_PW", secrets: known}
	u, p, err := tg.credentials()
	require.NoError(t, err)
	assert.Equal(t, "api", u)
	assert.Equal(t, "s3cret-pw", p)
	assert.Equal(t, []string{"s3cret-pw"}, known.all(), "recorded for the logs' masking")
	_, _, err = (&Target{User: "u", PasswordEnv: "EXP_UNSET"}).credentials()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "EXP_UNSET", "the error names the source")
	_, _, err = (&Target{User: "u", PasswordFile: "/nonexistent"}).credentials()
	assert.Error(t, err)
}
