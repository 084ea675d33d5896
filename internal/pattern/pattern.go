// Package pattern makes large test inputs without holding them in memory.
package pattern

import "io"

// Reader yields n bytes of a repeating pattern, then io.EOF, without ever
// holding them: a 1 GiB upload costs no memory.
type Reader struct{ Left int64 }

// NewReader returns a Reader of n bytes.
func NewReader(n int64) *Reader { return &Reader{Left: n} }

// Read implements io.Reader.
func (p *Reader) Read(b []byte) (int, error) {
	if p.Left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(b)), p.Left)
	for i := range b[:n] {
		b[i] = byte(i)
	}
	p.Left -= n
	return int(n), nil
}
