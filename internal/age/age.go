// Package age reads and writes ages for people: Go durations that may also
// be written in days and weeks (8d, 1w, 1d12h), as monitoring thresholds
// are.
package age

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day and Week are the units Parse adds to time.ParseDuration's.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// Parse reads a duration whose units may also be d (24 h) and w (7 d):
// 26h, 8d, 1w, 1d12h, 1.5d, 90m.
func Parse(s string) (time.Duration, error) {
	rest := strings.TrimSpace(s)
	if rest == "" {
		return 0, errors.New("empty age")
	}
	if rest == "0" { // as time.ParseDuration: zero needs no unit
		return 0, nil
	}
	bad := fmt.Errorf("age %q: want numbers with units (w, d, h, m, s), e.g. 26h or 8d", s)
	var total time.Duration
	for rest != "" {
		i := strings.IndexFunc(rest, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
		if i <= 0 {
			return 0, bad
		}
		j := strings.IndexFunc(rest[i:], func(r rune) bool { return (r >= '0' && r <= '9') || r == '.' })
		if j < 0 {
			j = len(rest) - i
		}
		num, unit := rest[:i], rest[i:i+j]
		rest = rest[i+j:]
		var mult time.Duration
		switch unit {
		case "w":
			mult = Week
		case "d":
			mult = Day
		default:
			d, err := time.ParseDuration(num + unit)
			if err != nil {
				return 0, bad
			}
			total += d
			continue
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, bad
		}
		total += time.Duration(f * float64(mult))
	}
	return total, nil
}

// Format writes an age compactly: to the second under a minute (0s, 3s,
// 59s), else to the minute: 4d, 3d4h, 26h is 1d2h, 5h30m, 45m.
func Format(d time.Duration) string {
	if d < time.Minute-time.Second/2 {
		return fmt.Sprintf("%ds", int64(d.Round(time.Second)/time.Second))
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d/Day), int(d%Day/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%dd%dh", days, hours)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%dh%dm", hours, mins)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", mins)
}
