package backupapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BodyFault is a broken answer body.
type BodyFault int

// Broken bodies. They are sent after the server has acted.
const (
	BodyOK        BodyFault = iota
	BodyHTML                // an HTML error page from a "proxy", status 200 unless Status is set
	BodyTruncated           // the real answer cut in half
	BodyEmpty               // no body at all
	BodyOversized           // a JSON answer larger than the SDK's default limit (64 MiB)
	BodyStall               // half the answer, then nothing until the client gives up
	// BodyEcho answers, after acting, with the request — its body and its
	// headers — quoted in every readable field of the product's error
	// answer (AhsayCBS Message and ExptType; XClarity messages' text,
	// explanation and recovery), as a server that quotes what it refused
	// might: the worst case for secrets. Status defaults to 200.
	BodyEcho
)

// DropMode drops the connection without an answer.
type DropMode int

// When to drop the connection.
const (
	NoDrop        DropMode = iota
	DropBeforeAct          // the server never acts: safe to retry
	DropAfterAct           // the server acted, then the connection broke: outcome unknown to the client
)

// Fault describes how the next calls of an operation misbehave.
type Fault struct {
	// Status, if set, answers with this HTTP status without acting (a 503
	// with RetryAfter, a 429, a 500...).
	Status int
	// RetryAfter is sent as a Retry-After header (whole seconds).
	RetryAfter time.Duration
	// Delay waits before handling the call (or until the client gives up).
	Delay time.Duration
	// Drop drops the connection before or after acting.
	Drop DropMode
	// Body breaks the answer body; the server acts first.
	Body BodyFault
	// AfterAct makes a Status fault act first, as a gateway that timed out
	// after forwarding the request would (a 502 or 504 the server acted on).
	AfterAct bool
	// Times is how many calls the fault applies to (0 means 1; -1 forever).
	Times int
	// Size is the size of a BodyOversized answer (default 65 MiB, beyond
	// the SDK's default limit of 64 MiB), at most MaxFaultSize.
	Size int
}

// faults holds the injected faults per operation.
type faults struct {
	mu       sync.Mutex
	byOp     map[string][]*Fault
	calls    map[string]int
	inFlight map[string]int // calls of op under way now
	peaks    map[string]int // the most at once
	requests requestLog     // the last requests, secrets masked
}

func newFaults() *faults {
	return &faults{byOp: map[string][]*Fault{}, calls: map[string]int{}, inFlight: map[string]int{}, peaks: map[string]int{}}
}

// enter and leave count the calls of op under way.
func (f *faults) enter(op string) {
	f.mu.Lock()
	f.inFlight[op]++
	f.peaks[op] = max(f.peaks[op], f.inFlight[op])
	f.mu.Unlock()
}

func (f *faults) leave(op string) {
	f.mu.Lock()
	f.inFlight[op]--
	f.mu.Unlock()
}

func (f *faults) peak(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.peaks[op]
}

func (f *faults) inject(op string, fault Fault) {
	if fault.Times == 0 {
		fault.Times = 1
	}
	f.mu.Lock()
	f.byOp[op] = append(f.byOp[op], &fault)
	f.mu.Unlock()
}

// next takes the fault for one call of op, if any.
func (f *faults) next(op string) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.byOp[op]
	if len(q) == 0 {
		return nil
	}
	fault := *q[0]
	if q[0].Times > 0 {
		q[0].Times--
		if q[0].Times == 0 {
			f.byOp[op] = q[1:]
		}
	}
	return &fault
}

func (f *faults) acted(op string) {
	f.mu.Lock()
	f.calls[op]++
	f.mu.Unlock()
}

func (f *faults) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// serve runs act for one call of op under its fault, if any. act writes the
// real answer into a buffer; the fault decides what reaches the client.
// The caller has recorded the request (every request is, refused or not).
func (f *faults) serve(w http.ResponseWriter, r *http.Request, op string, act func(*answer)) {
	f.enter(op)
	defer f.leave(op)
	fault := f.next(op)
	if fault != nil && fault.Delay > 0 {
		t := time.NewTimer(fault.Delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	if fault != nil && fault.Drop == DropBeforeAct {
		panic(http.ErrAbortHandler)
	}
	var echo []byte
	if fault != nil && fault.Body == BodyEcho {
		echo = requestEcho(r)
	}
	if fault != nil && fault.Status != 0 && fault.Body == BodyOK && !fault.AfterAct {
		if fault.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(fault.RetryAfter/time.Second)))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fault.Status)
		_, _ = w.Write([]byte(`{"Status":"Error","Message":"injected fault","result":"failed","messages":[{"id":"FAKE0001E","text":"injected fault"}]}`))
		return
	}
	a := &answer{status: http.StatusOK, header: http.Header{}}
	act(a)
	if a.acted {
		f.acted(op)
	}
	if fault != nil && fault.Drop == DropAfterAct {
		panic(http.ErrAbortHandler)
	}
	body := a.body.Bytes()
	status := a.status
	if fault != nil && fault.Status != 0 {
		status = fault.Status
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	if fault == nil {
		fault = &Fault{}
	}
	if fault.AfterAct && fault.Status != 0 && fault.Body == BodyOK {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "<html><body><h1>%d %s</h1><p>The gateway gave up waiting for the server.</p></body></html>", status, http.StatusText(status))
		return
	}
	switch fault.Body {
	case BodyEcho:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(echo)
		return
	case BodyHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy received an invalid response.</p></body></html>"))
		return
	case BodyEmpty:
		w.Header().Del("Content-Length")
		w.WriteHeader(status)
		return
	case BodyTruncated:
		body = body[:len(body)/2]
	case BodyOversized:
		body = oversized(fault.Size)
	case BodyStall:
		w.WriteHeader(status)
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		<-r.Context().Done()
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// requestEcho reads the request's body (putting it back for the handler)
// and returns an error answer quoting it and the headers everywhere.
func requestEcho(r *http.Request) []byte {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	var headers strings.Builder
	_ = r.Header.Write(&headers)
	text := string(body) + " " + headers.String()
	escaped := html.EscapeString(text)
	out, _ := json.Marshal(map[string]any{
		"Status": "Error", "Message": "[Echo] refused: " + text, "ExptType": escaped,
		"result": "failed",
		"messages": []map[string]any{{"id": "FAKE0002E", "text": "refused: " + text, "explanation": escaped,
			"recovery": map[string]string{"text": text, "URL": "https://help.example/?q=" + text}}},
	})
	return out
}

// answer collects the real answer of one call.
type answer struct {
	status int
	header http.Header
	body   bytes.Buffer
	acted  bool // the call changed (or read) state: counted by Calls
}

var (
	oversizedOnce sync.Once
	oversizedBody []byte
)

func oversized(size int) []byte {
	if size > 0 {
		return []byte(`{"Status":"OK","Padding":"` + strings.Repeat("x", size) + `"}`)
	}
	oversizedOnce.Do(func() {
		oversizedBody = []byte(`{"Status":"OK","Padding":"` + strings.Repeat("x", 65<<20) + `"}`)
	})
	return oversizedBody
}
