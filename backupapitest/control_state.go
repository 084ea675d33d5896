package backupapitest

import (
	"time"

	"github.com/backupapi/backupapi"
)

// The state hooks the control API and ResetToSeed share with Go tests.

// asOption is a ServerOption that restores this configuration.
func (c serverConfig) asOption() ServerOption { return func(to *serverConfig) { *to = c } }

// Reset returns the server to the state it was made with: the default
// destinations, groups and licence, no users or jobs, job duration and
// backup outcome as configured, no injected faults, no calls counted or
// requests recorded. The credentials and the clock stay.
func (s *AhsayServer) Reset() { s.adopt(NewUnstartedAhsayServer(s.cfg.asOption())) }

// adopt takes over the state of fresh, a server of the same configuration
// that nothing else holds, in one step (calls under way see the old state
// or the new), and forgets faults, counts and recorded requests.
func (s *AhsayServer) adopt(fresh *AhsayServer) {
	s.mu.Lock()
	s.users, s.destinations, s.stats, s.live = fresh.users, fresh.destinations, fresh.stats, fresh.live
	s.runJobs, s.rebuilds, s.forgotEmails, s.mon = fresh.runJobs, fresh.rebuilds, fresh.forgotEmails, fresh.mon
	s.jobLength, s.nextID = fresh.jobLength, fresh.nextID
	s.mu.Unlock()
	s.faults.reset()
}

// Reset returns the appliance to the state it was made with: its default
// backups (none with Empty), no sessions or jobs, job duration and
// session timeout as configured, jobs succeeding, no injected faults, no calls counted or
// requests recorded. The credentials and the clock stay.
func (s *XClarityServer) Reset() { s.adopt(NewUnstartedXClarityServer(s.cfg.asOption())) }

// adopt takes over the state of fresh (see AhsayServer.adopt).
func (s *XClarityServer) adopt(fresh *XClarityServer) {
	s.mu.Lock()
	s.sessions, s.backups, s.jobs, s.nextJob = fresh.sessions, fresh.backups, fresh.jobs, fresh.nextJob
	s.jobLength, s.failWith, s.imported = fresh.jobLength, fresh.failWith, fresh.imported
	s.quiesce, s.prepared, s.sessionTimeout = fresh.quiesce, fresh.prepared, fresh.sessionTimeout
	s.quiesceMiss.Store(0)
	s.mu.Unlock()
	s.faults.reset()
}

// SetJobDuration sets how long RunBackup's jobs take from now on (as
// WithJobDuration does at the start); jobs under way follow it too.
func (s *AhsayServer) SetJobDuration(d time.Duration) {
	s.mu.Lock()
	s.setJobDurationLocked(d)
	s.mu.Unlock()
}

func (s *AhsayServer) setJobDurationLocked(d time.Duration) {
	s.settleRunsLocked() // jobs that have ended keep how they ended
	s.jobLength = d
}

// SetJobDuration sets how long jobs take from now on (as WithJobDuration
// does at the start); jobs under way follow it too.
func (s *XClarityServer) SetJobDuration(d time.Duration) {
	s.mu.Lock()
	s.setJobDurationLocked(d)
	s.mu.Unlock()
}

func (s *XClarityServer) setJobDurationLocked(d time.Duration) {
	s.settleLocked() // jobs that have ended keep their history
	s.jobLength = d
}

// SetSessionTimeout sets how long a session may be idle from now on (as
// WithSessionTimeout does at the start); open sessions follow it too.
func (s *XClarityServer) SetSessionTimeout(d time.Duration) {
	s.mu.Lock()
	s.sessionTimeout = d
	s.mu.Unlock()
}

// jobSettingsOf reads the job settings of the servers present.
func jobSettingsOf(ahsay *AhsayServer, lxca *XClarityServer) JobSettings {
	var j JobSettings
	if ahsay != nil {
		ahsay.mu.Lock()
		j.Duration, j.AhsayBackupOutcome = Duration(ahsay.jobLength), ahsay.mon.backupOutcome
		ahsay.mu.Unlock()
	}
	if lxca != nil {
		lxca.mu.Lock()
		j.Duration, j.XClarityOutcome = Duration(lxca.jobLength), backupapi.JobStatus(lxca.failWith)
		lxca.mu.Unlock()
		if j.XClarityOutcome == "" {
			j.XClarityOutcome = backupapi.JobComplete
		}
	}
	return j
}

// InjectedFault is a fault waiting for calls of Op; Fault.Times is how
// many calls it still applies to (-1: every call).
type InjectedFault struct {
	Op    string
	Fault Fault
}

// Faults returns the injected faults still waiting, by operation in
// order of injection.
func (s *AhsayServer) Faults() []InjectedFault { return s.faults.pending() }

// ClearFaults removes the injected faults of the operations named (all of
// them without a name). An unknown name panics, as with Inject.
func (s *AhsayServer) ClearFaults(ops ...string) {
	for _, op := range ops {
		mustKnow("AhsayServer", "ClearFaults", op, AhsayOps)
	}
	s.faults.clear(ops)
}

// Requests returns the last requests the server received (up to 200,
// oldest first), with passwords, tokens, cookies and passphrases masked:
// every request, those it refused included (wrong credentials, an unknown
// path or method, an injected fault), with an empty Op where the path
// names no operation.
func (s *AhsayServer) Requests() []RecordedRequest { return s.faults.requests.snapshot() }

// Faults returns the injected faults still waiting (see
// AhsayServer.Faults).
func (s *XClarityServer) Faults() []InjectedFault { return s.faults.pending() }

// ClearFaults removes the injected faults of the operations named (all of
// them without a name). An unknown name panics, as with Inject.
func (s *XClarityServer) ClearFaults(ops ...string) {
	for _, op := range ops {
		mustKnow("XClarityServer", "ClearFaults", op, XClarityOps)
	}
	s.faults.clear(ops)
}

// Requests returns the last requests the appliance received (see
// AhsayServer.Requests): refused ones included, a 401 for wrong
// credentials and the 503s and dropped connections of a quiesced job API.
func (s *XClarityServer) Requests() []RecordedRequest { return s.faults.requests.snapshot() }
