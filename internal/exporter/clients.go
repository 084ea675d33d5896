package exporter

import (
	"crypto/x509"
	"fmt"
	"os"

	"github.com/backupapi/backupapi"
)

// clientOptions are the SDK options of a target: its CA file, plain http
// when allowed, the exporter's user agent, then the caller's own.
func clientOptions(t *Target, extra []backupapi.Option) ([]backupapi.Option, error) {
	opts := []backupapi.Option{backupapi.WithUserAgent("backupapi-exporter/" + backupapi.Version)}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca_file %s: no PEM certificate in it", t.CAFile)
		}
		opts = append(opts, backupapi.WithRootCAs(pool))
	}
	if t.AllowHTTP {
		opts = append(opts, backupapi.WithAllowHTTP())
	}
	return append(opts, extra...), nil
}
