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
)

// benchServer is a purpose-built TLS server: the fakes would dominate the
// cost of small calls, so it answers from prepared bytes.
type benchServer struct {
	*httptest.Server
	getUser []byte
	users   atomic.Int64 // how many users ListUsers streams
	conns   atomic.Int64 // connections accepted so far
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
