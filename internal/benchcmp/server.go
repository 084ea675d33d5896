package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"time"
)

// benchServer is a purpose-built TLS server: the fakes would dominate the
// cost of small calls, so it answers from prepared bytes.
type benchServer struct {
	*httptest.Server
	getUser []byte
	users   atomic.Int64 // how many users ListUsers streams
	conns   atomic.Int64 // connections accepted so far

	jobDelay atomic.Int64 // how long ListBackupJobStatus takes, in ns (a real server over a network)
	inFlight atomic.Int64 // ListBackupJobStatus calls under way
	peak     atomic.Int64 // the most at once
}

func newBenchServer() *benchServer {
	s := &benchServer{getUser: getUserAnswer()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /obs/api/json/2/GetUser.do", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.getUser)
	})
	mux.HandleFunc("POST /obs/api/json/2/ListUsers.do", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		streamUsers(w, int(s.users.Load()))
	})
	mux.HandleFunc("POST /obs/api/json/ListBackupJobStatus.do", s.listBackupJobStatus)
	s.freshnessRoutes(mux) // freshness_server.go
	mux.HandleFunc("POST /files/managementServer/data", func(w http.ResponseWriter, r *http.Request) {
		_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		var n int64
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			c, _ := io.Copy(io.Discard, part)
			n += c
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"result": "success", "jobId": fmt.Sprint(n)})
	})
	s.Server = httptest.NewUnstartedServer(mux)
	s.Server.Config.ErrorLog = log.New(io.Discard, "", 0) // client-side aborts are expected
	s.Server.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.StartTLS()
	return s
}

// getUserAnswer is the reference's GetUser example, as a server sends it.
func getUserAnswer() []byte {
	for _, p := range []string{"testdata/ahsay/GetUser_1.fixed-missing-quote.json", "../../testdata/ahsay/GetUser_1.fixed-missing-quote.json"} {
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
	}
	return []byte(`{"Status":"OK","Data":{"Name":"obm2","UserId":"obm2","Status":"ENABLE","QuotaList":[]}}`)
}

// streamUsers writes a ListUsers answer of n users as it generates them.
func streamUsers(w io.Writer, n int) {
	bw := newChunkWriter(w)
	bw.WriteString(`{"Status":"OK","User":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			bw.WriteString(",")
		}
		fmt.Fprintf(bw, `{"ID":"%d","LoginName":"user%06d","Owner":"","UserId":"user%06d","Alias":"User %d","UserType":"PAID","ClientType":"OBM","QuotaUsed":"%d","Online":false,"Timezone":"1098","Language":"en","DataFile":%d,"DataSize":%d,"Status":"ENABLE","RegistrationDate":1703141283712,"LastBackupDate":0,"LdapUser":false,"LdapDeleteUser":-1,"LdapDisableUser":-1,"UserHome":"C:\\Program Files\\AhsayCBS\\user\\user%06d","QuotaType":"PER_DESTINATION_QUOTA","StorageQuota":0,"QuotaList":[{"DestinationKey":"OBS","Quota":52428800,"DestinationName":"AhsayCBS","Enabled":true}],"Contact":[{"Name":"","Email":"user%06d@example.com"}],"EnableDeduplication":true,"EnableMSSQL":false,"EnableVMware":false,"VMwareQuota":0,"EnableMsVm":false,"MsVmQuota":0}`,
			1703141283712+i, i, i, i, i, i, i*1000, i, i)
	}
	bw.WriteString(`]}`)
	bw.Flush()
}

type chunkWriter struct {
	w   io.Writer
	buf []byte
}

func newChunkWriter(w io.Writer) *chunkWriter {
	return &chunkWriter{w: w, buf: make([]byte, 0, 64<<10)}
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.buf = append(c.buf, p...)
	if len(c.buf) >= 60<<10 {
		c.Flush()
	}
	return len(p), nil
}

func (c *chunkWriter) WriteString(s string) { _, _ = c.Write([]byte(s)) }

func (c *chunkWriter) Flush() {
	_, _ = c.w.Write(c.buf)
	c.buf = c.buf[:0]
}

// listBackupJobStatus answers with three jobs of the user, after the
// configured delay, counting the calls in flight.
func (s *benchServer) listBackupJobStatus(w http.ResponseWriter, r *http.Request) {
	now := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for p := s.peak.Load(); now > p && !s.peak.CompareAndSwap(p, now); p = s.peak.Load() {
	}
	var req struct{ LoginName, BackupDate string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	time.Sleep(time.Duration(s.jobDelay.Load()))
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"Status":"OK","Data":[`)
	for set := 1; set <= 3; set++ {
		if set > 1 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"ID":"%s-%d","LoginName":%q,"Owner":"","UserId":%q,"StartTime":"%s 01:0%d:00","EndTime":"%s 02:0%d:00","BackupJobStatus":"BS_STOP_SUCCESS","BackupSetID":"17000000000%02d","BackupSetName":"Set %d","UploadSize":"1048576","RunVersion":"10.1.0.0"}`,
			req.BackupDate, set, req.LoginName, req.LoginName, req.BackupDate, set, req.BackupDate, set, set, set)
	}
	fmt.Fprint(w, `]}`)
}
