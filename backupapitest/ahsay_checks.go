package backupapitest

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// mustSeed panics with a seeding method's mistake, as Inject panics on an
// unknown operation name: a test must not go on against state it did not
// mean to set up.
func mustSeed(method string, err error) {
	if err != nil {
		panic(fmt.Sprintf("backupapitest: AhsayServer.%s: %v", method, err))
	}
}

// seedUserLocked checks u and adds a copy of it (see SeedUser).
func (s *AhsayServer) seedUserLocked(u AhsayUser) error {
	if u.LoginName == "" {
		return errors.New("the user has no LoginName")
	}
	for _, q := range u.Quotas {
		if _, ok := s.destinations[q.DestinationKey]; !ok {
			return fmt.Errorf("user %q: quota on destination %q, which the fake does not know (AddDestination first)", u.LoginName, q.DestinationKey)
		}
	}
	for _, b := range u.Sets {
		if b.ID == "" {
			return fmt.Errorf("user %q: a backup set without an ID", u.LoginName)
		}
	}
	if slices.Contains(u.BackupSets, "") {
		return fmt.Errorf("user %q: an empty backup set ID", u.LoginName)
	}
	c := copyUser(&u)
	s.addUserLocked(&c)
	return nil
}

// seededUserLocked returns the named user, or the seeding mistake.
func (s *AhsayServer) seededUserLocked(owner, login string) (*AhsayUser, error) {
	u, ok := s.users[userKey(owner, login)]
	if !ok {
		return nil, fmt.Errorf("no user %q (owner %q): seed the user first (SeedUser)", login, owner)
	}
	return u, nil
}

// checkJobLocked checks that a job's user and backup set exist.
func (s *AhsayServer) checkJobLocked(owner, login, backupSetID string) error {
	u, err := s.seededUserLocked(owner, login)
	if err != nil {
		return err
	}
	return hasSet(u, backupSetID)
}

// checkJobRecord reports a job no server could report: one that ends
// before it starts, or one whose ID another job of the backup set (ids)
// has already (reports find a job by set and ID).
func checkJobRecord(backupSetID, jobID string, start, end time.Time, ids []string) error {
	switch {
	case !end.IsZero() && end.Before(start):
		return fmt.Errorf("job %s of backup set %q ends before it starts (%s < %s)", jobID, backupSetID,
			end.Format(time.RFC3339), start.Format(time.RFC3339))
	case slices.Contains(ids, jobID):
		return fmt.Errorf("backup set %q has a job %s already (JobID defaults to Start as yyyy-MM-dd-HH-mm-ss)", backupSetID, jobID)
	}
	return nil
}

// hasSet reports, as an error, a backup set the user does not have.
func hasSet(u *AhsayUser, backupSetID string) error {
	if _, ok := setOf(u, backupSetID); !ok {
		return fmt.Errorf("user %q has no backup set %q (give it in AhsayUser.Sets or BackupSets, or AddBackupSet)", u.LoginName, backupSetID)
	}
	return nil
}
