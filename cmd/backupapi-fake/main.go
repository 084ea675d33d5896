// Command backupapi-fake serves the fake AhsayCBS and the fake XClarity
// Administrator of package backupapitest on one loopback port, for test
// harnesses written in any language.
//
//	backupapi-fake [--addr 127.0.0.1:8443] [--tls=true] [--seed file.json] [--job-duration 30s] [--ca-file ca.pem]
//
// It prints the URL, the credentials and (with TLS) the path of the CA
// certificate to trust, as NAME=value lines, then serves until SIGINT or
// SIGTERM, and removes the CA file it created. It listens on loopback
// addresses only. Harnesses should build it (go build -o backupapi-fake
// ./cmd/backupapi-fake, or go install) and run the binary: "go run" does
// not pass SIGTERM on to the program it starts, so stopping "go run" would
// leave the server running. The AhsayCBS endpoints live under /obs/ and /cbs/; everything
// else is the XClarity appliance.
//
// The seed file is JSON:
//
//	{"ahsayUsers": [{"LoginName": "alice", "Password": "p", "Email": "a@example.com",
//	                 "Sets": [{"ID": "1700000000001", "Name": "Documents"}]}],
//	 "ahsayBackupJobs": [{"loginName": "alice", "BackupSetID": "1700000000001",
//	                      "Start": "2026-11-23T01:00:00Z", "End": "2026-11-23T02:00:00Z",
//	                      "Status": "BS_STOP_SUCCESS"}],
//	 "ahsayRestoreJobs": [],
//	 "xclarityBackups": [{"UUID": "4edf27ff-...", "Filename": "b.tgz"}]}
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
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
	"strings"
	"syscall"
	"time"

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

// seed is the --seed file.
type seed struct {
	AhsayUsers       []backupapitest.AhsayUser      `json:"ahsayUsers"`
	AhsayBackupJobs  []seededJob                    `json:"ahsayBackupJobs"`
	AhsayRestoreJobs []seededRestore                `json:"ahsayRestoreJobs"`
	XClarityBackups  []backupapitest.XClarityBackup `json:"xclarityBackups"`
}

// seededJob is a backup job of a user, as the seed file gives it.
type seededJob struct {
	Owner     string `json:"owner"`
	LoginName string `json:"loginName"`
	backupapitest.AhsayBackupJob
}

// seededRestore is a restore job of a user.
type seededRestore struct {
	Owner     string `json:"owner"`
	LoginName string `json:"loginName"`
	backupapitest.AhsayRestoreJob
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("backupapi-fake", flag.ContinueOnError)
	fs.SetOutput(errOut)
	addr := fs.String("addr", "127.0.0.1:8443", "address to listen on (loopback; port 0 picks a free one)")
	useTLS := fs.Bool("tls", true, "serve HTTPS with a self-signed certificate")
	seedFile := fs.String("seed", "", "JSON file of users and backups to start with")
	jobDuration := fs.Duration("job-duration", 30*time.Second, "how long XClarity jobs take")
	caFile := fs.String("ca-file", "", "where to write the CA certificate (default: a temporary file)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err} // the flag package has printed it with the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errOut, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if err := checkLoopback(*addr); err != nil {
		fmt.Fprintln(errOut, err)
		fs.Usage()
		return usageError{err}
	}
	ahsay := backupapitest.NewUnstartedAhsayServer()
	lxca := backupapitest.NewUnstartedXClarityServer(backupapitest.WithJobDuration(*jobDuration))
	if *seedFile != "" {
		if err := loadSeed(*seedFile, ahsay, lxca); err != nil {
			return err
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/obs/", ahsay.Handler())
	mux.Handle("/cbs/", ahsay.Handler())
	mux.Handle("/", lxca.Handler())

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: backupapitest.QuietErrorLog(errOut)}
	scheme := "http"
	if *useTLS {
		cert, caPEM, err := selfSigned()
		if err != nil {
			return err
		}
		if *caFile == "" {
			f, err := os.CreateTemp("", "backupapi-fake-ca-*.pem")
			if err != nil {
				return err
			}
			_ = f.Close()
			*caFile = f.Name()
			defer os.Remove(*caFile) // ours: removed on the way out
		}
		if err := os.WriteFile(*caFile, caPEM, 0o644); err != nil {
			return err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, srv.TLSConfig)
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	lines := []string{
		"AHSAY_URL=" + url, "AHSAY_SYSUSER=" + ahsay.SysUser, "AHSAY_SYSPWD=" + ahsay.SysPwd,
		"XCLARITY_URL=" + url, "XCLARITY_USER=" + lxca.Username, "XCLARITY_PASSWORD=" + lxca.Password,
	}
	if *useTLS {
		lines = append(lines, "CA_FILE="+*caFile)
	}
	fmt.Fprintln(out, strings.Join(lines, "\n"))
	fmt.Fprintln(out, "READY "+url)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(out, "stopped")
	return nil
}

// checkLoopback refuses an address that is not on a loopback interface:
// the fakes accept well-known credentials.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %q: the fake listens on loopback only (127.0.0.1, [::1] or localhost)", addr)
}

func loadSeed(path string, ahsay *backupapitest.AhsayServer, lxca *backupapitest.XClarityServer) (err error) {
	defer func() { // the fakes' seeding methods panic on a mistake: report it
		if p := recover(); p != nil {
			err = fmt.Errorf("seed %s: %v", path, p)
		}
	}()
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var s seed
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("seed %s: %w", path, err)
	}
	for _, u := range s.AhsayUsers {
		ahsay.SeedUser(u)
	}
	for _, j := range s.AhsayBackupJobs {
		ahsay.AddBackupJob(j.Owner, j.LoginName, j.AhsayBackupJob)
	}
	for _, j := range s.AhsayRestoreJobs {
		ahsay.AddRestoreJob(j.Owner, j.LoginName, j.AhsayRestoreJob)
	}
	for _, bk := range s.XClarityBackups {
		lxca.SeedBackup(bk)
	}
	return nil
}

// selfSigned makes a certificate for the loopback names, valid for a day,
// and returns it with its PEM for clients to trust.
func selfSigned() (tls.Certificate, []byte, error) {
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
