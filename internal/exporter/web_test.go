package exporter

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// selfSigned writes a certificate and key for 127.0.0.1 and returns their
// paths and a pool trusting the certificate.
func selfSigned(t *testing.T, dir string) (string, string, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "exporter"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestWebTLSAndBasicAuth(t *testing.T) {
	xc := backupapitest.NewXClarityServer(backupapitest.PlainHTTP())
	t.Cleanup(xc.Close)
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	t.Setenv("TEST_XC_PW", xc.Password)
	t.Setenv("TEST_WEB_PW", "scrape-Pa55")
	cfg, err := ParseConfig([]byte(`web:
  tls_cert_file: ` + certFile + `
  tls_key_file: ` + keyFile + `
  basic_auth_user: prometheus
  basic_auth_password_env: TEST_WEB_PW
targets:
  - {name: lxca, type: xclarity, url: "` + xc.URL + `", allow_http: true, user: ` + xc.Username + `, password_env: TEST_XC_PW, interval: 1h}
`))
	require.NoError(t, err)
	e, err := New(cfg, Options{})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); require.NoError(t, <-done) })
	wait, cancelWait := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelWait()
	require.NoError(t, e.WaitReady(wait))

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	base := "https://" + ln.Addr().String()
	get := func(path, user, pw string) int {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if user != "" {
			req.SetBasicAuth(user, pw)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	cases := []struct {
		name, path, user, pw string
		want                 int
	}{
		{"metrics with the password", "/metrics", "prometheus", "scrape-Pa55", 200},
		{"metrics without it", "/metrics", "", "", 401},
		{"a wrong password", "/metrics", "prometheus", "guess", 401},
		{"a wrong user", "/probe?target=lxca", "root", "scrape-Pa55", 401},
		{"healthy needs no password", "/-/healthy", "", "", 200},
		{"ready does", "/-/ready", "", "", 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, get(tc.path, tc.user, tc.pw)) })
	}
	t.Run("plain http is refused on the TLS port", func(t *testing.T) {
		resp, err := http.Get("http://" + ln.Addr().String() + "/-/healthy")
		if err == nil {
			defer resp.Body.Close()
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		}
	})
}

func TestModeUsersReadsOnlyListUsers(t *testing.T) {
	srv := backupapitest.NewAhsayServer(backupapitest.PlainHTTP())
	t.Cleanup(srv.Close)
	srv.SeedFreshnessFleet(time.Now())
	t.Setenv("TEST_CBS_PW", srv.SysPwd)
	r, err := NewRefresher(Target{Name: "cbs", Type: TypeAhsay, URL: srv.URL, AllowHTTP: true, User: srv.SysUser, PasswordEnv: "TEST_CBS_PW", Mode: ModeUsers})
	require.NoError(t, err)
	defer r.Close(context.Background())
	snap, err := r.Refresh(context.Background())
	require.NoError(t, err)
	names := map[string]int{}
	snap.Each(func(name string, _ map[string]string, _ float64) { names[name]++ })
	assert.Equal(t, 8, names["backupapi_ahsay_user_last_backup_timestamp_seconds"], "one a user")
	assert.Zero(t, names["backupapi_ahsay_backup_set_overdue"], "no sets read")
	assert.Equal(t, 1, srv.Calls(backupapitest.OpListUsers))
	assert.Zero(t, srv.Calls(backupapitest.OpListBackupSets))
	assert.Equal(t, 1, srv.Calls(backupapitest.OpGetLicense))
}
