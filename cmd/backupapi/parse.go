package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
)

// parseSize reads "50GiB", "50G", "500MiB", "1TB" or a number of bytes.
// G, GB and GiB all mean 2^30 bytes, as AhsayCBS counts.
func parseSize(s string) (backupapi.Bytes, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	units := []struct {
		suffix string
		size   backupapi.Bytes
	}{{"TIB", backupapi.TiB}, {"GIB", backupapi.GiB}, {"MIB", backupapi.MiB}, {"KIB", backupapi.KiB},
		{"TB", backupapi.TiB}, {"GB", backupapi.GiB}, {"MB", backupapi.MiB}, {"KB", backupapi.KiB},
		{"T", backupapi.TiB}, {"G", backupapi.GiB}, {"M", backupapi.MiB}, {"K", backupapi.KiB}, {"B", 1}}
	unit := backupapi.Bytes(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, unit = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.size
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n < 0 {
		return 0, usagef("size %q: want a number with a unit, like 50GiB", s)
	}
	return backupapi.Bytes(n * float64(unit)), nil
}

// parseDate reads "today", "yesterday" or yyyy-MM-dd, as a UTC day.
func parseDate(s string, now time.Time) (time.Time, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch strings.ToLower(s) {
	case "today":
		return today, nil
	case "yesterday", "":
		return today.AddDate(0, 0, -1), nil
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, usagef("date %q: want yyyy-MM-dd, today or yesterday", s)
	}
	return d, nil
}

func ref(login, owner string) backupapi.UserRef {
	return backupapi.UserRef{LoginName: login, Owner: owner}
}
