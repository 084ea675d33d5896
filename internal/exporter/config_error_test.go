package exporter

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsConfigErrorTellsTheConfigsMistakesFromTheExportersOwn(t *testing.T) {
	t.Run("a target whose credential variable is not set is the config's", func(t *testing.T) {
		require.NoError(t, os.Unsetenv("TEST_EXPORTER_NO_SUCH_VARIABLE"))
		cfg, err := ParseConfig([]byte("targets:\n  - name: cbs\n    type: ahsay\n    url: https://cbs.example.com\n    user: system\n    password_env: TEST_EXPORTER_NO_SUCH_VARIABLE\n"))
		require.NoError(t, err)
		_, err = New(cfg, Options{})
		require.Error(t, err)
		assert.True(t, IsConfigError(err), "%v", err)
		assert.Contains(t, err.Error(), `target "cbs"`)
	})
	t.Run("a target whose CA file is not there is the config's", func(t *testing.T) {
		t.Setenv("TEST_EXPORTER_PW", "pw")
		cfg, err := ParseConfig([]byte("targets:\n  - name: cbs\n    type: ahsay\n    url: https://cbs.example.com\n    user: system\n    password_env: TEST_EXPORTER_PW\n    ca_file: " + t.TempDir() + "/none.pem\n"))
		require.NoError(t, err, "the file is read when the target is set up, not when the config is")
		_, err = New(cfg, Options{})
		require.Error(t, err)
		assert.True(t, IsConfigError(err), "%v", err)
	})
	for _, err := range []error{nil, errors.New("a registry refused a collector"), fmt.Errorf("wrapped: %w", errors.New("x"))} {
		assert.False(t, IsConfigError(err), "%v is the exporter's own", err)
	}
	t.Run("a config error still unwraps to its cause", func(t *testing.T) {
		cause := errors.New("cause")
		assert.ErrorIs(t, configError{fmt.Errorf("target: %w", cause)}, cause)
	})
}
