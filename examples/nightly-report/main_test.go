package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNightlyReport(t *testing.T) {
	t.Setenv("AHSAY_URL", "")
	cases := []struct {
		format string
		check  func(t *testing.T, out string)
	}{
		{"table", func(t *testing.T, out string) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 7, "a header and six jobs")
			assert.Contains(t, lines[1], "bob", "the failed job comes first")
			assert.Contains(t, lines[1], "BS_STOP_BY_SYSTEM_ERROR")
			assert.Contains(t, lines[2], "carol", "then the missed one")
			assert.Contains(t, lines[6], "success")
		}},
		{"csv", func(t *testing.T, out string) {
			records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			require.NoError(t, err)
			require.Len(t, records, 7)
			assert.Equal(t, []string{"bob", "", "Accounts DB", "failed", "BS_STOP_BY_SYSTEM_ERROR"}, records[1][:5])
		}},
		{"json", func(t *testing.T, out string) {
			var rows []map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &rows))
			require.Len(t, rows, 6)
			assert.Equal(t, "failed", rows[0]["outcome"])
			assert.Equal(t, "missed", rows[1]["outcome"])
			assert.Equal(t, "running", rows[2]["outcome"])
		}},
	}
	for _, tc := range cases {
		t.Run(tc.format, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"-date", "2026-11-23", "-format", tc.format}, &out, io.Discard)
			assert.ErrorIs(t, err, errFailures, "a failed job makes the exit status 1")
			tc.check(t, out.String())
		})
	}
}

func TestNightlyReportOfAQuietNight(t *testing.T) {
	t.Setenv("AHSAY_URL", "")
	seedNight = func(srv *backupapitest.AhsayServer, day time.Time) {
		srv.SeedUser(backupapitest.AhsayUser{LoginName: "erin", Password: "p", BackupSets: []string{"1"}})
		srv.AddBackupJob("", "erin", backupapitest.AhsayBackupJob{BackupSetID: "1", Start: day.Add(time.Hour),
			End: day.Add(2 * time.Hour), Status: backupapi.BackupSuccessWithWarning})
	}
	defer func() { seedNight = seed }()
	var out bytes.Buffer
	err := run(context.Background(), []string{"-date", "2026-11-16", "-format", "json"}, &out, io.Discard)
	require.NoError(t, err, "warnings are no failure: exit status 0")
	assert.Contains(t, out.String(), `"outcome": "success with warnings"`)
}

func TestNightlyReportRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-date", "yesterday"}, {"-format", "xml"}, {"-nope"}} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		assert.Error(t, err, "%v", args)
		assert.NotErrorIs(t, err, errFailures)
	}
}
