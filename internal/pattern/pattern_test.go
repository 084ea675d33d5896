package pattern

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReaderYieldsExactlyN(t *testing.T) {
	n, err := io.Copy(io.Discard, NewReader(3<<20+7))
	require.NoError(t, err)
	assert.EqualValues(t, 3<<20+7, n)
}
