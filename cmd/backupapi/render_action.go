package main

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"

	"github.com/backupapi/backupapi/internal/redact"
)

// action is what a state-changing command did. Under -o json it is one
// object; a person reads one line in one wording:
//
//	add user alice: done
//	copy backup 4edf27ff-…: job 17 started
//	copy backup 4edf27ff-…: job 17 Complete
type action struct {
	Action   string   `json:"action"`           // what was done: "add user", "copy backup"
	Target   string   `json:"target,omitempty"` // what it was done to: a login, a UUID
	UUID     string   `json:"uuid,omitempty"`   // the backup it concerns, if any
	JobID    string   `json:"job_id,omitempty"` // the job it started, if any
	Status   string   `json:"status"`           // done, started, or the job's final state
	Messages []string `json:"messages,omitempty"`
}

// done is the result of an action that finished with its call.
func done(what, target string) *action { return &action{Action: what, Target: target, Status: "done"} }

// line is the sentence a person reads.
func (a *action) line() string {
	s := a.Action
	if a.Target != "" {
		s += " " + a.Target
	}
	if a.JobID != "" {
		return s + ": job " + a.JobID + " " + a.Status
	}
	return s + ": " + a.Status
}

func (a *action) render(r *renderer) error {
	switch r.format {
	case "json":
		return writeJSON(r.out, a, false)
	case "csv":
		w := csv.NewWriter(r.out)
		_ = w.Write([]string{"action", "target", "uuid", "job_id", "status"})
		_ = w.Write([]string{csvCell(a.Action), csvCell(a.Target), csvCell(a.UUID), csvCell(a.JobID), csvCell(a.Status)})
		w.Flush()
		return w.Error()
	}
	_, err := io.WriteString(r.out, escapeControls(a.line())+"\n")
	return err
}

// text is a sentence the command made (a formatted event message). Under
// -o json it is {"message": ...}; in CSV one cell under "message".
type text string

func (t text) render(r *renderer) error {
	switch r.format {
	case "json":
		return writeJSON(r.out, struct {
			Message string `json:"message"`
		}{string(t)}, false)
	case "csv":
		w := csv.NewWriter(r.out)
		_ = w.Write([]string{"message"})
		_ = w.Write([]string{csvCell(string(t))})
		w.Flush()
		return w.Error()
	}
	_, err := io.WriteString(r.out, escapeControls(string(t))+"\n")
	return err
}

// rawAnswer is a server's answer that no SDK type describes (the "do"
// escape hatches): it is written as indented JSON in every format, with
// the values of its secret-named keys masked, since it has no types.
type rawAnswer json.RawMessage

func (a rawAnswer) render(r *renderer) error {
	if len(strings.TrimSpace(string(a))) == 0 {
		return nil
	}
	if !json.Valid(a) { // not JSON after all: masked as the SDK masks excerpts
		_, err := io.WriteString(r.out, escapeControls(redact.Text(string(a)))+"\n")
		return err
	}
	return writeJSON(r.out, json.RawMessage(a), true)
}
