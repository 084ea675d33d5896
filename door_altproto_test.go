package backupapi

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// untracedProtocol is a RoundTripper registered on an *http.Transport
// with RegisterProtocol (as HTTP/3 and other alternative protocols are):
// net/http hands it the request before any connection of its own, and it
// reports no client-trace events.
type untracedProtocol struct{ inner *http.Transport }

func (u untracedProtocol) RoundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(context.WithoutCancel(r.Context()))
	out.URL.Scheme = "http" // its own wire: here, plain HTTP/1.1 without the caller's trace
	return u.inner.RoundTrip(out.WithContext(context.Background()))
}

// TestAnAlternativeProtocolThatReportsNoTraceIsJudgedByItsError: on an
// *http.Transport with a registered protocol, no GotConn says nothing:
// a request that reached the server through it is never taken for one
// that never left.
func TestAnAlternativeProtocolThatReportsNoTraceIsJudgedByItsError(t *testing.T) {
	for _, fault := range mayHaveLeftFaults[:1] { // the connection drops after the request arrived
		for _, op := range stateChanges {
			if op.idempotent {
				continue
			}
			t.Run(op.name, func(t *testing.T) {
				for _, product := range op.products() {
					s := &countingServer{}
					s.Server = httptest.NewServer(s.handler(fault.handler(nil)))
					tr := newTestTransport()
					tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12} // the SDK uses it as it is, not a Clone (which drops registered protocols)
					tr.RegisterProtocol("https", untracedProtocol{inner: newTestTransport()})
					a, x := sweepClients(t, "https"+s.URL[len("http"):], tr)
					var err error
					if product == "ahsay" {
						err = op.ahsay(context.Background(), a)
					} else {
						err = op.xclarity(context.Background(), x)
					}
					s.Close()
					require.Error(t, err)
					assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: %v", product, err)
					assert.EqualValues(t, 1, s.reached.Load(), "%s: sent once: %v", product, err)
				}
			})
		}
	}
}
