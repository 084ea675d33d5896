package backupapi

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheRecordBoundCountsEachRecordAlone: the decoded-memory bound of a
// streamed ListUsers answer is per record, whatever the decoder reads
// ahead: many small records that together hold more elements than the
// bound all arrive (strings holding brackets and commas count nothing),
// and one record over it is an error after the records before it.
func TestTheRecordBoundCountsEachRecordAlone(t *testing.T) {
	const limit = 64 << 10 // the bound: 16 × 64 KiB / sizeof(largest element)
	c, mt := newMockAhsay(t, WithMaxResponseBytes(limit))
	var b strings.Builder
	b.WriteString(`{"Status":"OK","User":[`)
	size, _ := decodedElementSize(reflect.TypeFor[User]())
	bound := decodedFactor * int64(limit) / size
	small := int(bound/8) + 100 // eight contacts each: more than the bound together
	for i := range small {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"LoginName":"u[,{\"x\",]","Contact":[{},{},{},{},{},{},{},{}]}`)
	}
	b.WriteString(`]}`)
	mt.RegisterResponder("POST", listPath, jsonResponder(200, b.String()))
	n := 0
	for _, err := range c.AllUsers(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, small, n, "every small record arrives though together they hold more elements than one may")
}
