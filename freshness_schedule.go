package backupapi

import (
	"encoding/json"
	"strings"
	"time"
)

// BackupSchedule is what a backup set's schedule says about how often it
// should back up.
type BackupSchedule struct {
	Entries []ScheduleEntry
	// Period is the shortest period of the enabled entries: how long the
	// set may go between backups by its own schedule. Zero when no entry's
	// period can be told (CUSTOM schedules, or none at all).
	Period time.Duration
}

// ScheduleEntry is one schedule of a set, with the fields the AddSchedule
// and UpdateSchedule references name.
type ScheduleEntry struct {
	ID, Name string
	Type     string        // DAILY, WEEKLY, MONTHLY or CUSTOM
	Interval time.Duration // a periodic schedule's BackupInterval (minutes on the wire); 0 for a normal one
	Enabled  bool          // true unless the entry says otherwise
}

// period is how often the entry backs up; 0 when it cannot be told.
func (e ScheduleEntry) period() time.Duration {
	if e.Interval > 0 {
		return e.Interval
	}
	switch strings.ToUpper(e.Type) {
	case "DAILY":
		return 24 * time.Hour
	case "WEEKLY":
		return 7 * 24 * time.Hour
	case "MONTHLY":
		return 31 * 24 * time.Hour
	}
	return 0
}

// ScheduleOf reads a set's schedule from GetBackupSet's answer, or returns
// nil when the answer carries none. The references say schedule IDs are
// "obtainable in GetBackupSet" but do not print where: the schedules are
// read from ScheduleSettings (the key the other settings' naming
// suggests), as a list of entries or an object holding one, with the
// entry fields of AddSchedule (ID, Name, Type, BackupInterval, Enabled).
// Anything else there is ignored, never an error.
func ScheduleOf(d *BackupSetDetail) *BackupSchedule {
	if d == nil {
		return nil
	}
	raw, ok := d.Extra["ScheduleSettings"]
	if !ok {
		return nil
	}
	var entries []ScheduleEntry
	collectSchedules(raw, &entries, 0)
	if len(entries) == 0 {
		return nil
	}
	s := &BackupSchedule{Entries: entries}
	for _, e := range entries {
		if p := e.period(); e.Enabled && p > 0 && (s.Period == 0 || p < s.Period) {
			s.Period = p
		}
	}
	return s
}

// collectSchedules finds schedule entries in a list, an entry, or an object
// whose values hold them, a few levels deep.
func collectSchedules(raw json.RawMessage, out *[]ScheduleEntry, depth int) {
	if depth > 3 {
		return
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, item := range list {
			collectSchedules(item, out, depth+1)
		}
		return
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return
	}
	if _, isEntry := obj["Type"]; isEntry {
		var w struct {
			ID, Name, Type string
			BackupInterval Int64
			Enabled        *Bool
		}
		if json.Unmarshal(raw, &w) == nil {
			e := ScheduleEntry{ID: w.ID, Name: w.Name, Type: w.Type, Enabled: w.Enabled == nil || bool(*w.Enabled)}
			if w.BackupInterval > 0 {
				e.Interval = time.Duration(w.BackupInterval) * time.Minute
			}
			*out = append(*out, e)
		}
		return
	}
	for _, v := range obj {
		collectSchedules(v, out, depth+1)
	}
}
