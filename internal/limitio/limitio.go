// Package limitio reads response bodies through a size limit while keeping
// their first bytes for error messages.
package limitio

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrTooLarge is returned by Reader once more than its limit has been read.
var ErrTooLarge = errors.New("response body exceeds the size limit")

// PrefixSize is how many leading bytes a Reader keeps.
const PrefixSize = 256

// Reader counts what it reads from R, fails with ErrTooLarge past Limit
// bytes (counted since the last Reset), and keeps the first PrefixSize bytes.
type Reader struct {
	R      io.Reader
	Limit  int64 // <= 0: no limit
	n      int64
	total  int64
	kept   int
	prefix [PrefixSize]byte // an array, not a slice: no allocation per call
}

// New returns a Reader over r with the given limit.
func New(r io.Reader, limit int64) *Reader { return &Reader{R: r, Limit: limit} }

var readers = sync.Pool{New: func() any { return new(Reader) }}

// Acquire is New from a pool, for the hot path of a call: a Reader is a few
// hundred bytes. Release it once neither it nor its Prefix is used.
func Acquire(r io.Reader, limit int64) *Reader {
	l := readers.Get().(*Reader)
	l.R, l.Limit, l.n, l.total, l.kept = r, limit, 0, 0, 0
	return l
}

// Release returns an Acquired Reader to the pool. The Reader and the
// slices its Prefix returned must not be used afterwards.
func Release(l *Reader) {
	l.R = nil
	readers.Put(l)
}

// Read implements io.Reader.
func (l *Reader) Read(p []byte) (int, error) {
	if l.Limit > 0 {
		if l.n > l.Limit {
			return 0, fmt.Errorf("%w (%d bytes)", ErrTooLarge, l.Limit)
		}
		if rem := l.Limit + 1 - l.n; int64(len(p)) > rem {
			p = p[:rem]
		}
	}
	n, err := l.R.Read(p)
	if l.kept < PrefixSize && n > 0 {
		l.kept += copy(l.prefix[l.kept:], p[:n])
	}
	l.n += int64(n)
	l.total += int64(n)
	if l.Limit > 0 && l.n > l.Limit {
		return n, fmt.Errorf("%w (%d bytes)", ErrTooLarge, l.Limit)
	}
	return n, err
}

// Reset starts a new window for the limit (used between streamed items).
func (l *Reader) Reset() { l.n = 0 }

// Prefix returns the first bytes read so far.
func (l *Reader) Prefix() []byte { return l.prefix[:l.kept] }

// Total is how many bytes were read in all.
func (l *Reader) Total() int64 { return l.total }
