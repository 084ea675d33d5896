package exporter

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// checkValues refuses the values of a target that parse but could only
// fail later: a key naming a variable that holds no name (checkEnvNames),
// a negative count (every count of the file is in this one
// list; ages are never negative, age.Parse refuses a sign), and a warning
// age past the critical one.
func (t *Target) checkValues() error {
	if err := checkEnvNames(t); err != nil {
		return err
	}
	counts := []struct {
		key string
		v   int
	}{
		{"concurrency", t.Concurrency},
		{"freshness.fail_warn", t.Freshness.FailWarn}, {"freshness.fail_critical", t.Freshness.FailCritical},
	}
	for _, c := range counts {
		if c.v < 0 {
			return fmt.Errorf("%s: %d is negative", c.key, c.v)
		}
	}
	if w, c := t.Freshness.Warn, t.Freshness.Critical; w > 0 && c > 0 && w > c {
		return fmt.Errorf("freshness.warn %s is past freshness.critical %s: the warning would never show", time.Duration(w), time.Duration(c))
	}
	return nil
}

// check refuses a web section that would lock every scraper out, or leave
// the exporter open or without TLS while the file asks for auth or TLS.
func (w *Web) check() error {
	if err := checkEnvNames(w); err != nil {
		return fmt.Errorf("web: %w", err)
	}
	hasPW := w.BasicAuthPasswordEnv != "" || w.BasicAuthPasswordFile != ""
	switch {
	case w.BasicAuthUser != "" && !hasPW:
		return errors.New("web: basic_auth_user without basic_auth_password_file or basic_auth_password_env")
	case w.BasicAuthUser == "" && hasPW:
		return errors.New("web: a basic auth password without basic_auth_user")
	case w.TLSCertFile != "" && w.TLSKeyFile == "":
		return errors.New("web: tls_cert_file without tls_key_file")
	case w.TLSCertFile == "" && w.TLSKeyFile != "":
		return errors.New("web: tls_key_file without tls_cert_file")
	}
	return nil
}

// envName is what a key that names an environment variable (user_env,
// password_env, basic_auth_password_env) may hold: a variable's name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// checkEnvNames refuses a value of a key of section (a *Web or *Target)
// whose name ends in _env that cannot be a variable's name: most likely
// the secret itself, written there by mistake, so the error names the
// key, never the value (which "password_env ... is not set" would print).
func checkEnvNames(section any) error {
	v := reflect.ValueOf(section).Elem()
	for i := range v.NumField() {
		key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if !strings.HasSuffix(key, "_env") {
			continue
		}
		if name := v.Field(i).String(); name != "" && !envName.MatchString(name) {
			return fmt.Errorf("%s: not a variable name (letters, digits and '_'): it names the variable that holds the value, never the value itself", key)
		}
	}
	return nil
}
