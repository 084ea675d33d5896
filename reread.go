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
		if err == nil || !idempotent || retry >= c.cfg.retryMax || ctx.Err() != nil || !brokenBody(err) {
			return err
		}
		wait := jitterBackoff(c.cfg.retryWaitMin, c.cfg.retryWaitMax, retry, nil)
		c.logger.LogAttrs(ctx, slog.LevelDebug, "backupapi repeating a read whose answer broke off",
			slog.String("op", op), slog.Int("retry", retry+1), slog.Duration("wait", wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// brokenBody reports whether err is an answer cut short in transit, as
// opposed to one that arrived whole but was wrong (HTML, oversized, bad JSON).
func brokenBody(err error) bool {
	var e *Error
	if !errors.As(err, &e) || !e.Is(ErrUnexpectedResponse) || e.Err == nil {
		return false
	}
	cause := e.Err
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
