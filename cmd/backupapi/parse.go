package main

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
)

// Size units beyond the SDK's TiB: a Bytes holds up to 8 EiB less a byte.
const (
	pib backupapi.Bytes = 1 << 50
	eib backupapi.Bytes = 1 << 60
)

// sizeUnits are the suffixes parseSize knows, longest first. K, KB and KiB
// all mean 2^10 bytes, G, GB and GiB 2^30, as AhsayCBS counts.
var sizeUnits = []struct {
	suffix string
	size   backupapi.Bytes
}{
	{"EIB", eib}, {"PIB", pib}, {"TIB", backupapi.TiB}, {"GIB", backupapi.GiB}, {"MIB", backupapi.MiB}, {"KIB", backupapi.KiB},
	{"EB", eib}, {"PB", pib}, {"TB", backupapi.TiB}, {"GB", backupapi.GiB}, {"MB", backupapi.MiB}, {"KB", backupapi.KiB},
	{"E", eib}, {"P", pib}, {"T", backupapi.TiB}, {"G", backupapi.GiB}, {"M", backupapi.MiB}, {"K", backupapi.KiB}, {"B", 1},
}

// sizeNumber is the number of a size: digits, with a decimal fraction
// perhaps. No sign, exponent, hex, NaN or Inf.
var sizeNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// parseSize reads "50GiB", "50G", "1.5TB", "1PiB" or a number of bytes.
// A size that a Bytes cannot hold (8 EiB or more) is refused, never
// wrapped around; a fraction of a byte is dropped.
func parseSize(s string) (backupapi.Bytes, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	unit := backupapi.Bytes(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, unit = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.size
			break
		}
	}
	if !sizeNumber.MatchString(t) {
		return 0, usagef("size %q: want a number with a unit, like 50GiB (units B, KiB, MiB, GiB, TiB, PiB, EiB)", s)
	}
	tooLarge := usagef("size %q is too large: at most %d bytes (just under 8 EiB)", s, int64(math.MaxInt64))
	whole, frac, _ := strings.Cut(t, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n > math.MaxInt64/int64(unit) {
		return 0, tooLarge
	}
	size := n * int64(unit)
	if frac != "" {
		f, _ := strconv.ParseFloat("0."+frac, 64) // matched digits: cannot fail
		part := int64(f * float64(unit))          // at most unit: fits
		if size > math.MaxInt64-part {
			return 0, tooLarge
		}
		size += part
	}
	return backupapi.Bytes(size), nil
}

// parseQuota reads a --quota: a size (see parseSize) above zero. A quota
// of 0 bytes would let no backup in; it is refused rather than sent.
func parseQuota(s string) (backupapi.Bytes, error) {
	size, err := parseSize(s)
	if err != nil {
		return 0, usagef("--quota: %w", err)
	}
	if size == 0 {
		return 0, usagef("--quota %q: a quota of 0 bytes lets no backup in; give a size like 50GiB, or leave --quota out", s)
	}
	return size, nil
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
