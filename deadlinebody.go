package backupapi

import (
	"io"
	"sync"
	"time"
)

// errAttemptTimeout: reading an answer took longer than WithTimeout.
type attemptTimeoutError struct{}

func (attemptTimeoutError) Error() string {
	return "reading the answer took longer than the attempt timeout (WithTimeout)"
}
func (attemptTimeoutError) Timeout() bool   { return true }
func (attemptTimeoutError) Temporary() bool { return true }

// deadlineBody closes the body when its watch fires, which ends a Read
// blocked on a stalled server; that Read then reports the timeout.
type deadlineBody struct {
	rc io.ReadCloser
	w  *bodyWatch // nil once closed
}

// bodyWatch is the timer of one deadlineBody. Watches are pooled: creating
// a timer per call costs more than resetting a stopped one.
type bodyWatch struct {
	timer *time.Timer
	mu    sync.Mutex
	rc    io.ReadCloser // the body to close when the timer fires
	fired bool
}

var bodyWatches sync.Pool

func (w *bodyWatch) expire() {
	w.mu.Lock()
	rc := w.rc
	w.fired = true
	w.mu.Unlock()
	if rc != nil {
		_ = rc.Close()
	}
}

func (w *bodyWatch) expired() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fired
}

func newDeadlineBody(rc io.ReadCloser, d time.Duration) *deadlineBody {
	w, _ := bodyWatches.Get().(*bodyWatch)
	if w == nil {
		w = &bodyWatch{}
		w.timer = time.AfterFunc(time.Hour, w.expire)
		w.timer.Stop()
	}
	w.mu.Lock()
	w.rc, w.fired = rc, false
	w.mu.Unlock()
	w.timer.Reset(d)
	return &deadlineBody{rc: rc, w: w}
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF && b.w != nil && b.w.expired() {
		err = attemptTimeoutError{}
	}
	return n, err
}

// Close stops the watch and returns it to the pool, unless it fired or is
// firing: then its callback may still hold the body, and the watch is
// dropped.
func (b *deadlineBody) Close() error {
	if w := b.w; w != nil {
		b.w = nil
		if w.timer.Stop() {
			w.mu.Lock()
			w.rc = nil
			w.mu.Unlock()
			bodyWatches.Put(w)
		}
	}
	return b.rc.Close()
}
