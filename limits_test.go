package backupapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseLimits(t *testing.T) {
	// 256 MiB of one letter compresses to about 256 KiB.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := bytes.Repeat([]byte("x"), 1<<20)
	_, _ = zw.Write([]byte(`{"Status":"OK","Padding":"`))
	for i := 0; i < 256; i++ {
		_, _ = zw.Write(zeros)
	}
	require.NoError(t, zw.Close())

	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"a gzip bomb stops at the limit", func(w http.ResponseWriter, r *http.Request) {
			assert.Contains(t, r.Header.Get("Accept-Encoding"), "gzip", "the transport asks for gzip and inflates it")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(bomb.Bytes())
		}, "larger than the 1048576-byte limit"},
		{"an endless body stops at the limit", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"Status":"OK","User":[`))
			chunk := []byte(strings.Repeat(`{"LoginName":"x"},`, 1000))
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "larger than the 1048576-byte limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newLoopbackAhsay(t, tc.handler, WithMaxResponseBytes(1<<20), WithRetry(0, 0, 0))
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := c.ListUsers(ctx, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestAResponseHeaderFloodIsBoundedByTheTransport(t *testing.T) {
	c := newLoopbackAhsay(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 4000; i++ {
			w.Header().Add("X-Flood", strings.Repeat("f", 500)) // 2 MB of headers
		}
		_, _ = w.Write([]byte(`{"Status":"OK"}`))
	}), WithRetry(0, 0, 0))
	err := c.RemoveUser(context.Background(), obm)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "server response headers exceeded")
}
