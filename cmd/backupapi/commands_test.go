package main

import (
	"errors"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
)

// TestAhsayRunMakesTheClientBeforeTheBody: every AhsayCBS command's body
// runs through ahsayRun (or ahsayList), so the one decision they share is
// made there: the connection's mistake is the command's error and the body
// is not run; with good settings the body gets a client and its answer is
// the command's.
func TestAhsayRunMakesTheClientBeforeTheBody(t *testing.T) {
	bodyErr := errors.New("the body's own error")
	for _, tc := range []struct {
		name    string
		url     string
		body    error
		wantRun bool
		wantErr string
	}{
		{"no URL: the settings' usage error, the body never runs", "", nil, false, "no AhsayCBS URL"},
		{"good settings: the body runs with a client and its result is the command's", "https://cbs.example.com", nil, true, ""},
		{"good settings: the body's error is the command's", "https://cbs.example.com", bodyErr, true, bodyErr.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AHSAY_URL", tc.url)
			t.Setenv("AHSAY_SYSUSER", "system")
			t.Setenv("AHSAY_SYSPWD", "secret")
			t.Setenv("AHSAY_VERSION", "")
			t.Setenv("CA_FILE", "")
			ran := false
			want := &action{Action: "test"}
			run := ahsayRun(&app{}, func(_ *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
				ran = true
				assert.NotNil(t, c)
				assert.Equal(t, []string{"alice"}, args)
				if tc.body != nil {
					return nil, tc.body
				}
				return want, nil
			})
			res, err := run(&cobra.Command{}, []string{"alice"})
			assert.Equal(t, tc.wantRun, ran)
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				assert.Nil(t, res)
				return
			}
			assert.NoError(t, err)
			assert.Same(t, want, res)
		})
	}
}
