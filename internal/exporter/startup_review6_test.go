package exporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewRefusesATargetThatCannotStart: what every refresh would fail on
// the same way (credentials not there, a URL the SDK refuses, a CA file
// that is not one) is refused when the exporter starts, naming the target
// and never the secret.
func TestNewRefusesATargetThatCannotStart(t *testing.T) {
	t.Setenv("R6_PW", "s3cret-r6")
	t.Setenv("R6_UNSET", "")
	for _, tc := range []struct{ name, target, want string }{
		{"an unset password variable", "{name: a, type: ahsay, url: 'https://c', user: u, password_env: R6_UNSET}", "R6_UNSET"},
		{"a missing password file", "{name: a, type: xclarity, url: 'https://x', user: u, password_file: /nonexistent/pw}", "password_file"},
		{"an unset user variable", "{name: a, type: ahsay, url: 'https://c', user_env: R6_UNSET, password_env: R6_PW}", "user_env"},
		{"plain http without allow_http", "{name: a, type: ahsay, url: 'http://c', user: u, password_env: R6_PW}", "http"},
		{"a URL that is none", "{name: a, type: xclarity, url: '::nope', user: u, password_env: R6_PW}", "a"},
		{"a CA file that is not there", "{name: a, type: ahsay, url: 'https://c', user: u, password_env: R6_PW, ca_file: /nonexistent/ca.pem}", "ca_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte("targets:\n  - " + tc.target + "\n"))
			require.NoError(t, err)
			_, err = New(cfg, Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), `"a"`, "names the target")
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "s3cret-r6")
		})
	}
	t.Run("a good target starts", func(t *testing.T) {
		cfg, err := ParseConfig([]byte("targets:\n  - {name: a, type: ahsay, url: 'https://c', user: u, password_env: R6_PW}\n"))
		require.NoError(t, err)
		_, err = New(cfg, Options{})
		assert.NoError(t, err)
	})
}
