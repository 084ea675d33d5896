package exporter

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnEnvKeyHoldingASecretIsRefusedWithoutEchoingIt walks every key of
// the config file that names an environment variable (its name ends in
// _env) and gives it what a user who wrote the password itself there by
// mistake gives: the file is refused at load, by the key, and the error
// never holds the value (it said "password_env <the password> is not set").
func TestAnEnvKeyHoldingASecretIsRefusedWithoutEchoingIt(t *testing.T) {
	const secret = "S3cr3t pa$$word!"
	var keys []string
	for _, rt := range []reflect.Type{reflect.TypeFor[Web](), reflect.TypeFor[Target]()} {
		for i := range rt.NumField() {
			if k, _, _ := strings.Cut(rt.Field(i).Tag.Get("yaml"), ","); strings.HasSuffix(k, "_env") {
				keys = append(keys, k)
			}
		}
	}
	require.ElementsMatch(t, []string{"basic_auth_password_env", "user_env", "password_env"}, keys, "the sweep finds every _env key")
	for _, key := range keys {
		t.Run(key+" holding a password is refused without the password", func(t *testing.T) {
			web, target := "", map[string]string{"user": "system", "password_env": "CBS_PASSWORD"}
			switch key {
			case "basic_auth_password_env":
				web = "web: {basic_auth_user: prom, basic_auth_password_env: '" + secret + "'}\n"
			case "user_env":
				delete(target, "user")
				target[key] = secret
			default:
				target[key] = secret
			}
			text := web + "targets:\n  - name: cbs\n    type: ahsay\n    url: https://cbs.example.com\n"
			for k, v := range target {
				text += "    " + k + ": '" + v + "'\n"
			}
			_, err := ParseConfig([]byte(text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), key)
			assert.Contains(t, err.Error(), "not a variable name")
			assert.NotContains(t, err.Error(), "S3cr3t")
		})
	}
	t.Run("a variable's name is taken", func(t *testing.T) {
		_, err := ParseConfig([]byte("web: {basic_auth_user: prom, basic_auth_password_env: WEB_PW}\ntargets:\n  - {name: cbs, type: ahsay, url: https://cbs.example.com, user_env: CBS_USER, password_env: _cbs_pw2}\n"))
		assert.NoError(t, err)
	})
}
