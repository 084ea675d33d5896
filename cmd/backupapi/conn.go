package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"math"
	"os"
	"regexp"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// connFlags are a product's connection settings.
type connFlags struct {
	url, user, passwordFile, caFile string
	ahsayVersion                    string // AhsayCBS only
	allowHTTP, allowInsecureFile    bool
	timeout                         time.Duration
	rateLimit                       float64 // requests per second, 0: none
	maxInFlight                     int     // 0: no cap
}

// ahsayVersionPattern is an AhsayCBS version as --ahsay-version takes it:
// numbers of at most nine digits, so that each fits the SDK's int.
var ahsayVersionPattern = regexp.MustCompile(`^v?[0-9]{1,9}(\.[0-9]{1,9})*$`)

// product names the environment variables of one product.
type product struct {
	name, urlEnv, userEnv, passwordEnv string
}

var (
	ahsayProduct    = product{"AhsayCBS", "AHSAY_URL", "AHSAY_SYSUSER", "AHSAY_SYSPWD"}
	xclarityProduct = product{"XClarity", "XCLARITY_URL", "XCLARITY_USER", "XCLARITY_PASSWORD"}
)

// connectionFlags gives cmd, a product's command, the connection flags,
// and makes every secret-file flag of its tree refuse an empty name.
func (a *app) connectionFlags(cmd *cobra.Command, p product) {
	defer requireSecretFileNames(cmd)
	f := cmd.PersistentFlags()
	f.StringVar(&a.conn.url, "url", "", "server root URL (default $"+p.urlEnv+")")
	f.StringVar(&a.conn.user, "user", "", "user name (default $"+p.userEnv+")")
	f.StringVar(&a.conn.passwordFile, "password-file", "", "read the password from this file (default $"+p.passwordEnv+", else a prompt)")
	f.StringVar(&a.conn.caFile, "ca-file", "", "PEM file of the certificate authorities to trust (default $CA_FILE)")
	f.BoolVar(&a.conn.allowHTTP, "allow-http", false, "permit a plain http:// URL (credentials travel in clear)")
	f.DurationVar(&a.conn.timeout, "timeout", 0, "bound on each HTTP attempt (default the SDK's, 60s)")
	f.Float64Var(&a.conn.rateLimit, "rate-limit", 0, "send at most this many HTTP requests a second, retries included (default no limit)")
	f.IntVar(&a.conn.maxInFlight, "max-in-flight", 0, "have at most this many HTTP requests under way at once (default no cap)")
	f.BoolVar(&a.conn.allowInsecureFile, allowInsecureFlag, false,
		"read a --password-file, --user-password-file or --passphrase-file that group or others may read")
	if p == ahsayProduct {
		f.StringVar(&a.conn.ahsayVersion, "ahsay-version", "",
			"the server's AhsayCBS version, e.g. 9.5, so that each call goes to a path it has (default $AHSAY_VERSION, else the newest)")
	}
}

// settings resolves the connection settings and the SDK options, and
// reads the password last: a mistake in the settings is said before a
// password is asked for.
func (a *app) settings(p product) (url, user, password string, opts []backupapi.Option, err error) {
	if url, user, opts, err = a.connSettings(p); err != nil {
		return "", "", "", nil, err
	}
	if password, err = a.password(p, user); err != nil {
		return "", "", "", nil, err
	}
	return url, user, password, opts, nil
}

// connSettings resolves and checks every connection setting but the
// password, reading no secret.
func (a *app) connSettings(p product) (url, user string, opts []backupapi.Option, err error) {
	url = firstSet(a.conn.url, os.Getenv(p.urlEnv))
	user = firstSet(a.conn.user, os.Getenv(p.userEnv))
	if url == "" {
		return "", "", nil, usagef("no %s URL: use --url or set %s", p.name, p.urlEnv)
	}
	if err := checkURL("--url", url); err != nil {
		return "", "", nil, err
	}
	if user == "" {
		return "", "", nil, usagef("no %s user: use --user or set %s", p.name, p.userEnv)
	}
	if ca := firstSet(a.conn.caFile, os.Getenv("CA_FILE")); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return "", "", nil, fmt.Errorf("--ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return "", "", nil, fmt.Errorf("--ca-file %s: no PEM certificate in it", ca)
		}
		opts = append(opts, backupapi.WithRootCAs(pool))
	}
	if a.conn.allowHTTP {
		opts = append(opts, backupapi.WithAllowHTTP())
	}
	if a.conn.timeout > 0 {
		opts = append(opts, backupapi.WithTimeout(a.conn.timeout))
	}
	flow, err := a.flowOptions()
	if err != nil {
		return "", "", nil, err
	}
	opts = append(opts, flow...)
	if p == ahsayProduct {
		if v := firstSet(a.conn.ahsayVersion, os.Getenv("AHSAY_VERSION")); v != "" {
			if !ahsayVersionPattern.MatchString(v) {
				return "", "", nil, usagef("--ahsay-version (or AHSAY_VERSION) %q: want the server's version, e.g. 9.5 or 9.7.0.0", v)
			}
			opts = append(opts, backupapi.WithAhsayVersion(v))
		}
	}
	opts = append(opts, backupapi.WithUserAgent("backupapi-cli/"+version))
	return url, user, opts, nil
}

// settingsFirstAnnotation marks a product's command tree whose settings
// are checked before the command runs (checkSettingsFirst).
const settingsFirstAnnotation = "backupapi-settings-first"

// settingsFirst makes every command of cmd's tree, p's commands, check
// the connection settings before it runs: before it reads any secret (the
// password, a backup user's password, a passphrase) or sends anything.
func settingsFirst(cmd *cobra.Command, p product) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[settingsFirstAnnotation] = p.name
}

// checkSettingsFirst checks the connection settings of the product cmd
// belongs to (settingsFirst), as far as they can be checked without the
// password: the SDK is given a stand-in for it and refuses what it would
// refuse with the real one (a plain http:// URL without --allow-http).
func (a *app) checkSettingsFirst(cmd *cobra.Command) error {
	for c := cmd; c != nil; c = c.Parent() {
		var newClient func(url, user, password string, opts ...backupapi.Option) error
		switch c.Annotations[settingsFirstAnnotation] {
		case ahsayProduct.name:
			newClient = func(url, user, pw string, opts ...backupapi.Option) error {
				_, err := backupapi.NewAhsayClient(url, user, pw, opts...)
				return err
			}
		case xclarityProduct.name:
			newClient = func(url, user, pw string, opts ...backupapi.Option) error {
				_, err := backupapi.NewXClarityClient(url, user, pw, opts...)
				return err
			}
		default:
			continue
		}
		p := map[string]product{ahsayProduct.name: ahsayProduct, xclarityProduct.name: xclarityProduct}[c.Annotations[settingsFirstAnnotation]]
		url, user, opts, err := a.connSettings(p)
		if err != nil {
			return configError(err)
		}
		return configError(newClient(url, user, "stand-in", opts...))
	}
	return nil
}

func firstSet(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

func (a *app) ahsayClient() (*backupapi.AhsayClient, error) {
	url, user, pw, opts, err := a.settings(ahsayProduct)
	if err != nil {
		return nil, configError(err)
	}
	c, err := backupapi.NewAhsayClient(url, user, pw, opts...)
	return c, configError(err)
}

func (a *app) xclarityClient() (*backupapi.XClarityClient, error) {
	url, user, pw, opts, err := a.settings(xclarityProduct)
	if err != nil {
		return nil, configError(err)
	}
	c, err := backupapi.NewXClarityClient(url, user, pw, opts...)
	return c, configError(err)
}

// logoutGrace bounds the logout after Ctrl-C: the user asked to stop, so
// the session is ended if the appliance answers at once, and abandoned
// (it expires on its own) if not.
const logoutGrace = 2 * time.Second

// closeXClarity ends c's session. Without an interrupt the logout has the
// SDK's timeout and retries; once ctx ends (Ctrl-C), before or during the
// logout, it gets logoutGrace more and no longer.
func closeXClarity(ctx context.Context, c *backupapi.XClarityClient) {
	logout, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	go func() {
		select {
		case <-ctx.Done():
			t := time.NewTimer(logoutGrace)
			defer t.Stop()
			select {
			case <-t.C:
				cancel()
			case <-logout.Done():
			}
		case <-logout.Done():
		}
	}()
	_ = c.Close(logout)
}

// flowOptions are the SDK options of --rate-limit (in bursts of one) and
// --max-in-flight.
func (a *app) flowOptions() ([]backupapi.Option, error) {
	var opts []backupapi.Option
	switch r := a.conn.rateLimit; {
	case r < 0 || math.IsNaN(r) || math.IsInf(r, 0):
		return nil, usagef("--rate-limit %v: want requests a second, more than 0 (0: no limit)", r)
	case r > 0:
		opts = append(opts, backupapi.WithRateLimit(r, 1))
	}
	switch n := a.conn.maxInFlight; {
	case n < 0:
		return nil, usagef("--max-in-flight %d: want a number of requests, at least 1 (0: no cap)", n)
	case n > 0:
		opts = append(opts, backupapi.WithMaxInFlight(n))
	}
	return opts, nil
}
