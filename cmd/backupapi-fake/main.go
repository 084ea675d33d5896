// Command backupapi-fake serves the fake AhsayCBS and the fake XClarity
// Administrator of package backupapitest on one loopback port, and their
// control API on a second, for test harnesses written in any language.
//
//	backupapi-fake [--addr 127.0.0.1:8443] [--control-addr 127.0.0.1:0] [--tls=true]
//	               [--seed file.json] [--clock 2026-11-23T00:00:00Z] [--job-duration 30s] [--ca-file ca.pem]
//	backupapi-fake --seed-schema
//
// It prints the URL, the credentials, the control API's URL and token and
// (with TLS) the path of the CA certificate to trust, as NAME=value lines,
// then "READY <url>", and serves until SIGINT or SIGTERM, and removes the
// CA file it created. It listens on loopback addresses only. Harnesses
// should build it (go build -o backupapi-fake ./cmd/backupapi-fake, or go
// install) and run the binary: "go run" does not pass SIGTERM on to the
// program it starts, so stopping "go run" would leave the server running.
// The AhsayCBS endpoints live under /obs/ and /cbs/; everything else is
// the XClarity appliance.
//
// The seed file is JSON as backupapitest.Seed describes it, checked
// against the schema --seed-schema prints (backupapitest/seed.schema.json):
//
//	{"ahsay": {"users": [{"loginName": "alice", "password": "p", "email": "a@example.com",
//	                      "sets": [{"id": "1700000000001", "name": "Documents"}]}],
//	           "backupJobs": [{"loginName": "alice", "backupSetId": "1700000000001",
//	                           "start": "2026-11-23T01:00:00Z", "end": "2026-11-23T02:00:00Z",
//	                           "status": "BS_STOP_SUCCESS"}]},
//	 "xclarity": {"backups": [{"uuid": "4edf27ff-...", "filename": "b.tgz", "location": "/mnt/share"}]}}
//
// The control API (CONTROL_URL, with "Authorization: Bearer $CONTROL_TOKEN")
// resets the fakes to the seed, seeds more, injects faults, counts calls,
// moves the clock and sets how jobs end: see backupapitest.ControlHandler.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}

// exitCode is 0 for success and --help, 2 for a command-line mistake
// (already reported with the usage), 1 for anything else (reported here).
func exitCode(err error) int {
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		return 2
	}
	fmt.Fprintln(os.Stderr, "backupapi-fake:", err)
	return 1
}

// usageError is a command-line mistake the flag package has reported.
type usageError struct{ error }

// options are the command line's settings.
type options struct {
	addr, controlAddr, seedFile, caFile, clockStart string
	useTLS, printSchema                             bool
	jobDuration                                     time.Duration
}

// usageIntro is what --help says before the flags: what the fake prints
// and how to stop it, so that a harness can be written from it alone.
const usageIntro = `backupapi-fake serves a fake AhsayCBS and a fake XClarity Administrator on one
loopback port, and their control API on a second. On stdout it prints AHSAY_URL,
AHSAY_SYSUSER, AHSAY_SYSPWD, XCLARITY_URL, XCLARITY_USER, XCLARITY_PASSWORD, CONTROL_URL,
CONTROL_TOKEN and (with TLS) CA_FILE as NAME=value lines, then "READY <url>" once it
serves. SIGINT or SIGTERM stops it and removes its temporary CA file (a --ca-file stays).
Run the built binary (go build -o /tmp/backupapi-fake ./cmd/backupapi-fake), not "go run",
which does not pass SIGTERM on. The control API is described in the README ("For
harnesses in any language").

`

// parse reads the command line; a mistake is reported with the usage.
func parse(args []string, errOut io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("backupapi-fake", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageIntro)
		fmt.Fprintln(fs.Output(), "Usage of backupapi-fake:")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8443", "address to serve the fakes on (loopback; port 0 picks a free one)")
	fs.StringVar(&o.controlAddr, "control-addr", "", "address to serve the control API on (loopback; default: --addr's host, a free port)")
	fs.BoolVar(&o.useTLS, "tls", true, "serve HTTPS with a self-signed certificate (the control API too)")
	fs.StringVar(&o.seedFile, "seed", "", "JSON file of the state to start with and to reset to (schema: --seed-schema)")
	fs.BoolVar(&o.printSchema, "seed-schema", false, "print the JSON Schema of the seed file and exit")
	fs.StringVar(&o.clockStart, "clock", "", "start a fake clock at this RFC 3339 time, moved only by the control API\n(default: the real time, which the control API can advance)")
	fs.DurationVar(&o.jobDuration, "job-duration", 30*time.Second, "how long XClarity jobs and AhsayCBS RunBackup jobs take")
	fs.StringVar(&o.caFile, "ca-file", "", "where to write the CA certificate (default: a temporary file)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usageError{err} // the flag package has printed it with the usage
	}
	mistake := func(err error) (options, error) {
		fmt.Fprintln(errOut, err)
		fs.Usage()
		return o, usageError{err}
	}
	if fs.NArg() > 0 {
		return mistake(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if err := checkLoopback("--addr", o.addr); err != nil {
		return mistake(err)
	}
	if o.controlAddr == "" {
		host, _, _ := net.SplitHostPort(o.addr)
		o.controlAddr = net.JoinHostPort(host, "0")
	}
	if err := checkLoopback("--control-addr", o.controlAddr); err != nil {
		return mistake(err)
	}
	if o.jobDuration < 0 {
		return mistake(fmt.Errorf("--job-duration %s: want a duration of 0 or more", o.jobDuration))
	}
	if o.clockStart != "" {
		if _, err := time.Parse(time.RFC3339Nano, o.clockStart); err != nil {
			return mistake(fmt.Errorf("--clock %q: want an RFC 3339 time such as 2026-11-23T00:00:00Z", o.clockStart))
		}
	}
	return o, nil
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	o, err := parse(args, errOut)
	if err != nil {
		return err
	}
	if o.printSchema {
		_, err := out.Write(backupapitest.SeedSchema)
		return err
	}
	var clock backupapitest.ClockAdvancer = backupapitest.NewShiftedClock()
	if o.clockStart != "" {
		start, _ := time.Parse(time.RFC3339Nano, o.clockStart)
		clock = backupapitest.NewFakeClock(start)
	}
	opts := []backupapitest.ServerOption{backupapitest.WithClock(clock), backupapitest.WithJobDuration(o.jobDuration)}
	ahsay := backupapitest.NewUnstartedAhsayServer(opts...)
	lxca := backupapitest.NewUnstartedXClarityServer(opts...)
	var seed *backupapitest.Seed
	if o.seedFile != "" {
		if seed, err = backupapitest.LoadSeed(o.seedFile); err != nil {
			return err
		}
		if err := backupapitest.ResetToSeed(seed, ahsay, lxca); err != nil {
			return fmt.Errorf("seed %s: %w", o.seedFile, err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/obs/", ahsay.Handler())
	mux.Handle("/cbs/", ahsay.Handler())
	mux.Handle("/", lxca.Handler())
	token, err := randomHex(32)
	if err != nil {
		return err
	}
	control := backupapitest.ControlHandler(backupapitest.ControlConfig{Token: backupapi.Secret(token), Ahsay: ahsay, XClarity: lxca,
		Clock: clock, Seed: seed})

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	cln, err := net.Listen("tcp", o.controlAddr)
	if err != nil {
		return err
	}
	defer cln.Close()
	quiet := backupapitest.QuietErrorLog(errOut) // no TLS handshake noise
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	csrv := &http.Server{Handler: control, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	scheme := "http"
	if o.useTLS {
		cert, caPEM, err := selfSigned(ln.Addr(), cln.Addr())
		if err != nil {
			return err
		}
		if o.caFile == "" {
			f, err := os.CreateTemp("", "backupapi-fake-ca-*.pem")
			if err != nil {
				return err
			}
			_ = f.Close()
			o.caFile = f.Name()
			defer os.Remove(o.caFile) // ours: removed on the way out
		}
		if err := os.WriteFile(o.caFile, caPEM, 0o644); err != nil {
			return err
		}
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln, cln = tls.NewListener(ln, cfg), tls.NewListener(cln, cfg)
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	lines := []string{
		"AHSAY_URL=" + url, "AHSAY_SYSUSER=" + ahsay.SysUser, "AHSAY_SYSPWD=" + ahsay.SysPwd,
		"XCLARITY_URL=" + url, "XCLARITY_USER=" + lxca.Username, "XCLARITY_PASSWORD=" + lxca.Password,
		"CONTROL_URL=" + scheme + "://" + cln.Addr().String() + strings.TrimSuffix(backupapitest.ControlPath, "/"),
		"CONTROL_TOKEN=" + token,
	}
	if o.useTLS {
		lines = append(lines, "CA_FILE="+o.caFile)
	}
	fmt.Fprintln(out, strings.Join(lines, "\n"))
	fmt.Fprintln(out, "READY "+url)
	return serve(ctx, out, []*http.Server{srv, csrv}, []net.Listener{ln, cln})
}

// serve serves each server on its listener until ctx ends or one fails,
// then shuts them all down. The requests under way are cancelled first:
// a stall or delay fault holds its request until the client gives up,
// and would otherwise hold the shutdown until its timeout.
func serve(ctx context.Context, out io.Writer, servers []*http.Server, listeners []net.Listener) error {
	requests, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	errc := make(chan error, len(servers))
	for i, s := range servers {
		s.BaseContext = func(net.Listener) context.Context { return requests }
		go func() { errc <- s.Serve(listeners[i]) }()
	}
	var failed error
	pending := len(servers)
	select {
	case failed = <-errc:
		pending--
	case <-ctx.Done():
	}
	cancelRequests()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	errs := []error{failed}
	for _, s := range servers {
		errs = append(errs, s.Shutdown(shutdown))
	}
	for ; pending > 0; pending-- {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Fprintln(out, "stopped")
	return nil
}

// randomHex returns n random bytes in hex.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// checkLoopback refuses an address that is not on a loopback interface:
// the fakes accept well-known credentials.
func checkLoopback(flagName, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q: %w", flagName, addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s %q: the fake listens on loopback only (127.0.0.1, [::1] or localhost)", flagName, addr)
}

// selfSigned makes a certificate for the loopback names and the addresses
// served (any of 127.0.0.0/8), valid for a day, and returns it with its
// PEM for clients to trust.
func selfSigned(served ...net.Addr) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "backupapi-fake"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, a := range served {
		if tcp, ok := a.(*net.TCPAddr); ok && !slices.ContainsFunc(tmpl.IPAddresses, tcp.IP.Equal) {
			tmpl.IPAddresses = append(tmpl.IPAddresses, tcp.IP)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	return cert, certPEM, err
}
