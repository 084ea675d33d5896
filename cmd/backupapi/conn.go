package main

import (
	"bufio"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// connFlags are a product's connection settings.
type connFlags struct {
	url, user, passwordFile, caFile string
	allowHTTP                       bool
	timeout                         time.Duration
}

// product names the environment variables of one product.
type product struct {
	name, urlEnv, userEnv, passwordEnv string
}

var (
	ahsayProduct    = product{"AhsayCBS", "AHSAY_URL", "AHSAY_SYSUSER", "AHSAY_SYSPWD"}
	xclarityProduct = product{"XClarity", "XCLARITY_URL", "XCLARITY_USER", "XCLARITY_PASSWORD"}
)

func (a *app) connectionFlags(cmd *cobra.Command, p product) {
	f := cmd.PersistentFlags()
	f.StringVar(&a.conn.url, "url", "", "server root URL (default $"+p.urlEnv+")")
	f.StringVar(&a.conn.user, "user", "", "user name (default $"+p.userEnv+")")
	f.StringVar(&a.conn.passwordFile, "password-file", "", "read the password from this file (default $"+p.passwordEnv+", else a prompt)")
	f.StringVar(&a.conn.caFile, "ca-file", "", "PEM file of the certificate authorities to trust (default $CA_FILE)")
	f.BoolVar(&a.conn.allowHTTP, "allow-http", false, "permit a plain http:// URL (credentials travel in clear)")
	f.DurationVar(&a.conn.timeout, "timeout", 0, "bound on each HTTP attempt (default the SDK's, 60s)")
}

// settings resolves the connection settings and the SDK options.
func (a *app) settings(p product) (url, user, password string, opts []backupapi.Option, err error) {
	url = firstSet(a.conn.url, os.Getenv(p.urlEnv))
	user = firstSet(a.conn.user, os.Getenv(p.userEnv))
	if url == "" {
		return "", "", "", nil, usagef("no %s URL: use --url or set %s", p.name, p.urlEnv)
	}
	if err := checkURL("--url", url); err != nil {
		return "", "", "", nil, err
	}
	if user == "" {
		return "", "", "", nil, usagef("no %s user: use --user or set %s", p.name, p.userEnv)
	}
	if password, err = a.password(p, user); err != nil {
		return "", "", "", nil, err
	}
	if ca := firstSet(a.conn.caFile, os.Getenv("CA_FILE")); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return "", "", "", nil, fmt.Errorf("--ca-file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return "", "", "", nil, fmt.Errorf("--ca-file %s: no PEM certificate in it", ca)
		}
		opts = append(opts, backupapi.WithRootCAs(pool))
	}
	if a.conn.allowHTTP {
		opts = append(opts, backupapi.WithAllowHTTP())
	}
	if a.conn.timeout > 0 {
		opts = append(opts, backupapi.WithTimeout(a.conn.timeout))
	}
	opts = append(opts, backupapi.WithUserAgent("backupapi-cli/"+version))
	return url, user, password, opts, nil
}

// password reads the product's password: the environment, the password
// file, or a prompt without echo on a terminal. There is no flag.
func (a *app) password(p product, user string) (string, error) {
	if pw := os.Getenv(p.passwordEnv); pw != "" {
		return pw, nil
	}
	if a.conn.passwordFile != "" {
		return readSecretFile(a.conn.passwordFile)
	}
	return a.prompt(fmt.Sprintf("%s password for %s: ", p.name, user),
		fmt.Sprintf("no %s password: set %s, use --password-file, or run on a terminal to be asked", p.name, p.passwordEnv))
}

// prompt asks for a secret without echo, on a terminal only.
func (a *app) prompt(question, otherwise string) (string, error) {
	if !a.inTTY {
		return "", usagef("%s", otherwise)
	}
	fmt.Fprint(a.errOut, question)
	b, err := term.ReadPassword(a.inFd)
	fmt.Fprintln(a.errOut)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// readSecretFile reads a secret from the first line of a file.
func readSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("%s: empty", path)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New(path + ": the first line is empty")
	}
	return line, nil
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
