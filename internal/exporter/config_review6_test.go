package exporter

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfigRefusesWhatCanOnlyFailLater(t *testing.T) {
	const target = "targets:\n  - {name: a, type: ahsay, url: u, user: u, password_env: P"
	for _, tc := range []struct{ name, text, want string }{
		{"a negative failure count", target + ", freshness: {fail_critical: -1}}\n", "fail_critical"},
		{"a negative concurrency", target + ", concurrency: -3}\n", "concurrency"},
		{"warn past critical (the warning would never show)", target + ", freshness: {warn: 3d, critical: 1d}}\n", "warn"},
		{"basic auth without a password source (every scrape refused)", "web: {basic_auth_user: prom}\n" + target + "}\n", "basic_auth"},
		{"a basic auth password without a user (no auth at all)", "web: {basic_auth_password_env: W}\n" + target + "}\n", "basic_auth_user"},
		{"a TLS certificate without its key", "web: {tls_cert_file: /c.pem}\n" + target + "}\n", "tls_key_file"},
		{"a TLS key without its certificate", "web: {tls_key_file: /k.pem}\n" + target + "}\n", "tls_cert_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
