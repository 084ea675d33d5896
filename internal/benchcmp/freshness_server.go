package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// freshnessRoutes adds the calls of an exporter refresh: each user has
// three sets whose newest job ran on freshDay and succeeded; each answer
// takes the configured delay (jobDelay), as ListBackupJobStatus's does.
func (s *benchServer) freshnessRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /obs/api/json/ListBackupSets.do", s.delayed(func(w http.ResponseWriter, _ string) {
		fmt.Fprint(w, `{"Status":"OK","Data":[`)
		for set := 1; set <= 3; set++ {
			if set > 1 {
				fmt.Fprint(w, ",")
			}
			fmt.Fprintf(w, `{"ID":"17000000000%02d","Name":"Set %d","Type":"FILE"}`, set, set)
		}
		fmt.Fprint(w, `]}`)
	}))
	mux.HandleFunc("POST /obs/api/json/ListBackupJobs.do", s.delayed(func(w http.ResponseWriter, _ string) {
		fmt.Fprint(w, `{"Status":"OK","Data":[`)
		for set := 1; set <= 3; set++ {
			if set > 1 {
				fmt.Fprint(w, ",")
			}
			fmt.Fprintf(w, `{"BackupSetID":"17000000000%02d","Removed":false,"BackupJob":["%s-01-0%d-00"]}`, set, freshDay, set)
		}
		fmt.Fprint(w, `]}`)
	}))
	mux.HandleFunc("POST /obs/api/json/2/GetLicense.do", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"Status":"OK","Data":{"Licensee":"Bench","Key":"K","VMQuota":"100","UsedVMQuota":"10","RemainVMQuota":"90"}}`)
	})
}

// freshDay is the day of every set's newest job.
const freshDay = "2026-11-23"

// delayed answers after jobDelay, counting the calls in flight.
func (s *benchServer) delayed(answer func(w http.ResponseWriter, login string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		now := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for p := s.peak.Load(); now > p && !s.peak.CompareAndSwap(p, now); p = s.peak.Load() {
		}
		var req struct{ LoginName string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		time.Sleep(time.Duration(s.jobDelay.Load()))
		w.Header().Set("Content-Type", "application/json")
		answer(w, req.LoginName)
	}
}
