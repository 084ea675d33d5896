package main

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
)

// tableTime is how a table shows a time: with its zone.
const tableTime = "2006-01-02 15:04:05 MST"

// cellText is a value as a table or CSV cell, by its type: a Secret is
// masked, a time is RFC 3339 in CSV and shown with its zone in a table
// (empty for never; a Timestamp the SDK could not read is its raw
// text), a size is a count of bytes in CSV and "5 MiB" in a
// table, a list is joined with spaces. numeric reports a number, which a
// CSV cell needs no formula guard for. The text is not yet escaped.
func cellText(v any, machine bool) (text string, numeric bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case backupapi.Secret:
		return secretMask(x), false
	case *backupapi.Secret:
		if x == nil {
			return "", false
		}
		return secretMask(*x), false
	case backupapi.Timestamp:
		if x.IsZero() && x.Raw() != "" {
			return x.Raw(), false // in no known format: as sent
		}
		return cellTime(x.Time, machine), false
	case time.Time:
		return cellTime(x, machine), false
	case calendarDate:
		if time.Time(x).IsZero() {
			return "", false
		}
		return time.Time(x).Format(time.DateOnly), false
	case backupapi.Bytes:
		if machine {
			return strconv.FormatInt(int64(x), 10), true
		}
		return x.String(), false
	case backupapi.GB:
		return cellText(x.Bytes(), machine)
	case backupapi.Bool:
		return cellText(bool(x), machine)
	case bool:
		if machine {
			return strconv.FormatBool(x), false
		}
		if x {
			return "yes", false
		}
		return "no", false
	case string:
		return x, false
	case []string:
		return strings.Join(x, " "), false
	case float64:
		return cellFloat(x), true
	case float32:
		return cellFloat(float64(x)), true
	case fmt.Stringer:
		return x.String(), false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return "", false
		}
		return cellText(rv.Elem().Interface(), machine)
	case reflect.String:
		return rv.String(), false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		return cellFloat(rv.Float()), true
	case reflect.Slice, reflect.Array:
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i], _ = cellText(rv.Index(i).Interface(), machine)
		}
		return strings.Join(parts, " "), false
	}
	return fmt.Sprint(v), false // fmt masks a Secret inside a struct
}

func cellTime(t time.Time, machine bool) string {
	switch {
	case t.IsZero():
		return ""
	case machine:
		return t.Format(time.RFC3339Nano)
	}
	return t.Format(tableTime)
}

func cellFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// tableCell is v as a table shows it: escaped.
func tableCell(v any) string {
	s, _ := cellText(v, false)
	return escapeControls(s)
}

// csvValue is v as a CSV cell: escaped, and guarded against formulas
// unless it is a number.
func csvValue(v any) string {
	s, numeric := cellText(v, true)
	if numeric {
		return s
	}
	return csvCell(s)
}

// calendarDate is a day without a time of day (a storage statistic's
// date): yyyy-MM-dd in every format, RFC 3339's full-date.
type calendarDate time.Time
