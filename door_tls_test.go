package backupapi

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/backupapi/backupapi/internal/limitio"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// brokenRecordServer is a TLS server that reads each request whole (so
// the server may have acted on it) and then, instead of an answer, writes
// a TLS record header no TLS stack accepts (an oversized record): the
// client's TLS layer fails with a tls.RecordHeaderError after the request
// was written and read.
type brokenRecordServer struct {
	url     string
	reached atomic.Int32
	client  *http.Transport // trusts the server's certificate
}

func newBrokenRecordServer(t *testing.T) *brokenRecordServer {
	certs := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate and a client that trusts it
	t.Cleanup(certs.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &brokenRecordServer{url: "https://" + l.Addr().String()}
	s.client = certs.Client().Transport.(*http.Transport).Clone()
	s.client.ForceAttemptHTTP2 = false
	s.client.TLSClientConfig.NextProtos = []string{"http/1.1"}
	cfg := &tls.Config{Certificates: certs.TLS.Certificates, NextProtos: []string{"http/1.1"}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			raw, err := l.Accept()
			if err != nil {
				return
			}
			conn := tls.Server(raw, cfg)
			if _, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
				s.reached.Add(1)
				_, _ = raw.Write([]byte{0x17, 0x03, 0x03, 0xff, 0xff}) // application data, 64 KiB: oversized
			}
			_ = raw.Close()
		}
	}()
	t.Cleanup(func() { _ = l.Close(); <-done })
	return s
}

// TestATLSRecordErrorAfterTheRequestIsNotNeverLeft: a broken TLS record
// in the answer comes after the request was written; on a transport the
// SDK cannot trace, the error alone must not be read as a handshake that
// failed before anything was sent.
func TestATLSRecordErrorAfterTheRequestIsNotNeverLeft(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			for _, op := range stateChanges {
				if op.idempotent {
					continue
				}
				t.Run(op.name, func(t *testing.T) {
					for _, product := range op.products() {
						s := newBrokenRecordServer(t)
						a, x := sweepClients(t, s.url, tr.wrap(s.client))
						var err error
						if product == "ahsay" {
							err = op.ahsay(context.Background(), a)
						} else {
							err = op.xclarity(context.Background(), x)
						}
						require.Error(t, err)
						assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: %v", product, err)
						assert.EqualValues(t, 1, s.reached.Load(), "%s: a request the server read is never repeated: %v", product, err)
					}
				})
			}
		})
	}
}

// TestATLSRecordErrorAfterTheRequestDoesNotSayNothingWasSent: a read
// against the same server is retried, as reads are, but its error does
// not claim a handshake failure in which nothing was sent.
func TestATLSRecordErrorAfterTheRequestDoesNotSayNothingWasSent(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			s := newBrokenRecordServer(t)
			a, _ := sweepClients(t, s.url, tr.wrap(s.client))
			_, err := a.ListUsers(context.Background(), nil)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "nothing was sent")
			assert.NotContains(t, err.Error(), "handshake")
			assert.EqualValues(t, 3, s.reached.Load(), "a read is retried within its budget")
		})
	}
}

// TestAnExcerptCutInsideASecretShowsNoPartOfIt: the excerpt of a page is
// made from its first bytes; where they end inside the system password,
// the part before the cut does not reach the error.
func TestAnExcerptCutInsideASecretShowsNoPartOfIt(t *testing.T) {
	c, mt := newMockAhsay(t)
	text := "\n<p>denied for "
	lead := "<html>\n" + strings.Repeat(" ", limitio.PrefixSize-6-len("<html>\n")-len(text)) + text
	body := lead + testSysPwd + "</p></html>" // the kept prefix ends 6 bytes into the password
	mt.RegisterResponder("POST", listPath, pageResponder(500, "text/html", body))
	_, err := c.ListUsers(context.Background(), nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testSysPwd[:6])
}
