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
	assert.ElementsMatch(t, kinds[1:], errorKinds, "errorKinds lists every kind errorKind gives, and only those")
	for _, kind := range kinds {
		assert.Contains(t, mUp.Help, kind, "the help of backupapi_up names %s", kind)
		assert.Contains(t, section, kind, "the README names %s", kind)
	}
}

// TestRefreshErrorsStartAtZeroForEveryKind: before any error the counter
// has a series of 0 for each kind, so that rate() and increase() over it
// are defined from the first scrape (Prometheus' advice for known label
// values), as backupapi_refreshes_total's results are.
func TestRefreshErrorsStartAtZeroForEveryKind(t *testing.T) {
	f := startFleet(t, "")
	code, body := f.get(t, "/metrics")
	require.Equal(t, 200, code)
	for _, target := range []string{"cbs", "lxca"} {
		for _, kind := range errorKinds {
			assert.Contains(t, body, `backupapi_refresh_errors_total{kind="`+kind+`",target="`+target+`"} 0`)
		}
	}
}
