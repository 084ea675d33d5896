package backupapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"time"
)

// repeatReads runs once and, for an idempotent call whose answer broke off
// while its body was being read (truncated, empty, reset or timed out
// mid-body), runs it again, up to the retry budget, with the same jittered
// backoff. retryablehttp only sees the status line, so this covers the rest
// of the answer. State-changing calls are never repeated.
func (c *core) repeatReads(ctx context.Context, op string, idempotent bool, once func() error) error {
	for retry := 0; ; retry++ {
		err := once()
		if err == nil || !idempotent || !brokenBody(err) || !c.backoff(ctx, op, retry) {
			return err
		}
	}
}

// backoff waits before repeat number retry+1 of a read; false means the
// budget is spent or ctx ended.
func (c *core) backoff(ctx context.Context, op string, retry int) bool {
	if retry >= c.cfg.retryMax || ctx.Err() != nil {
		return false
	}
	wait := jitterBackoff(c.cfg.retryWaitMin, c.cfg.retryWaitMax, retry, nil)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "backupapi repeating a read whose answer broke off",
		slog.String("op", op), slog.Int("retry", retry+1), slog.Duration("wait", wait))
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// errIdle: a streamed answer brought no data for longer than WithTimeout.
var errIdle = errors.New("no data arrived within the attempt timeout (WithTimeout)")

// idleReader cancels its request when no Read returns data within d.
type idleReader struct {
	r     io.Reader
	d     time.Duration
	timer *time.Timer
}

func (ir *idleReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	if n > 0 && ir.timer != nil {
		ir.timer.Reset(ir.d)
	}
	return n, err
}

// brokenBody reports whether err is an answer cut short in transit, as
// opposed to one that arrived whole but was wrong (HTML, oversized, bad JSON).
func brokenBody(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Err == nil {
		return false
	}
	cause := e.Err
	if errors.Is(cause, errIdle) {
		return true
	}
	if !e.Is(ErrUnexpectedResponse) {
		return false
	}
	var ne net.Error
	switch {
	case errors.Is(cause, io.ErrUnexpectedEOF), errors.Is(cause, io.EOF):
		return true
	case errors.Is(cause, syscall.ECONNRESET), errors.Is(cause, context.DeadlineExceeded):
		return true
	case errors.As(cause, &ne) && ne.Timeout():
		return true
	}
	return strings.Contains(cause.Error(), "connection reset")
}
