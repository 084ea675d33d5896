package backupapitest

import (
	"time"
)

// jobAt reports whether a job request's DestinationID names the job's
// destination (an empty one names any).
func (s *AhsayServer) jobAt(u *AhsayUser, j *AhsayBackupJob, dest string) bool {
	if dest == "" {
		return true
	}
	b, _ := setOf(u, j.BackupSetID)
	return dest == firstNonEmpty(j.DestinationID, b.DestinationID)
}

// runningBackups returns RunBackup's jobs that are running now (started,
// not ended), as GetUserStatus lists them beside SetLiveJobs's.
func (s *AhsayServer) runningBackups() []AhsayLiveJob {
	var out []AhsayLiveJob
	now := s.now()
	for _, k := range s.userKeys() {
		u := s.users[k]
		for _, j := range s.mon.backupJobs[userKey(u.Owner, u.LoginName)] {
			if !j.runBackup || now.Before(j.Start) {
				continue // not RunBackup's, or still pending
			}
			if _, end := s.state(j); !end.IsZero() {
				continue
			}
			b, _ := setOf(u, j.BackupSetID)
			out = append(out, AhsayLiveJob{LoginName: u.LoginName, BackupSetID: b.ID, BackupSet: b.Name,
				Percent: percentDone(now.Sub(j.Start), s.jobLength), JobID: j.JobID})
		}
	}
	return out
}

// percentDone is how far a job of the given length is after elapsed.
func percentDone(elapsed, length time.Duration) int {
	if length <= 0 {
		return 100
	}
	return min(99, int(elapsed*100/length))
}
