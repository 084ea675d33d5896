package exporter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryErrorKindIsDocumented walks every kind the up series' error
// label can take and finds each in the metric's help and in the README.
func TestEveryErrorKindIsDocumented(t *testing.T) {
	errs := []error{configError{errors.New("x")}, context.DeadlineExceeded, backupapi.ErrAuthentication,
		backupapi.ErrPermissionDenied, backupapi.ErrUnavailable, backupapi.ErrUnexpectedResponse, backupapi.ErrServer,
		backupapi.ErrNotFound, errors.New("anything else")}
	kinds := []string{"not_yet_refreshed"}
	for _, err := range errs {
		kinds = append(kinds, errorKind(context.Background(), fmt.Errorf("wrapped: %w", err)))
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	section := string(readme)[strings.Index(string(readme), "One target failing never stops the others"):]
	section = section[:strings.Index(section, "counted in")]
	for _, kind := range kinds {
		assert.Contains(t, mUp.Help, kind, "the help of backupapi_up names %s", kind)
		assert.Contains(t, section, kind, "the README names %s", kind)
	}
}
