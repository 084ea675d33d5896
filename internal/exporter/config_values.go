package exporter

import (
	"errors"
	"fmt"
	"time"
)

// checkValues refuses the numbers of a target that parse but could only
// fail later: a negative count (every count of the file is in this one
// list; ages are never negative, age.Parse refuses a sign), and a warning
// age past the critical one.
func (t *Target) checkValues() error {
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
