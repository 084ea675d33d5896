package backupapitest

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/backupapi/backupapi"
)

// ControlPath is the path under which ControlHandler serves: one that
// neither product uses.
const ControlPath = "/_backupapi/"

// ControlConfig says what a ControlHandler controls.
type ControlConfig struct {
	// Token is the bearer token every control request must carry
	// (Authorization: Bearer <Token>); others are answered 401. It must
	// not be empty. It prints as "***".
	Token backupapi.Secret
	// Ahsay and XClarity are the fakes controlled (either may be nil).
	Ahsay    *AhsayServer
	XClarity *XClarityServer
	// Clock is the clock both fakes read (WithClock); nil leaves the
	// clock call unable to move it (409).
	Clock ClockAdvancer
	// Seed is what reset returns the fakes to (nil: their defaults).
	Seed *Seed
}

// ControlHandler returns the control API of the fakes, for harnesses in
// any language: backupapi-fake serves it on a second loopback listener,
// and a Go harness may serve it too. It answers JSON under ControlPath:
//
//	GET    /_backupapi/                  the endpoints, the operations and fault kinds
//	POST   /_backupapi/reset             back to the seed (ResetToSeed); a seed as the body becomes the new one
//	POST   /_backupapi/seed              a seed (same schema as --seed) adds state (ApplySeed)
//	GET    /_backupapi/faults            the injected faults still waiting (Faults)
//	POST   /_backupapi/faults            {"op":"AddUser","status":503,"times":2}: inject a fault (Inject)
//	DELETE /_backupapi/faults[?op=X]     clear them (ClearFaults)
//	GET    /_backupapi/calls[?last=N]    per-operation counts (Calls) and the last N requests, secrets masked (Requests)
//	GET    /_backupapi/clock             {"now": ...}
//	POST   /_backupapi/clock             {"advance":"90s"}: move the clock (jobs, quiesce and rebuilds move with it)
//	GET    /_backupapi/jobs              the job settings
//	POST   /_backupapi/jobs              {"duration":"5s","xclarityOutcome":"Failed","ahsayBackupOutcome":"BS_STOP_BY_SYSTEM_ERROR"}
//
// A fault is {"op", "server" (ahsay or xclarity; needed only for a name
// both fakes use), "status" (200 to 599), "retryAfter" (whole seconds),
// "delay", "drop" (beforeAct, afterAct), "body" (html, truncated, empty,
// oversized, stall, echo), "afterAct", "times" (default 1, -1 forever),
// "size" (of an oversized body, at most 1 GiB)}; unknown names are
// refused with the list of valid ones. The clock moves forward only, and not past the year
// 9999. Errors are {"error": "...", "problems": [{"path", "problem"}]}
// with status 400 (a wrong request), 401 (no or a wrong token; the
// scheme "Bearer" is case-insensitive, the token is not), 404, 405, 409,
// 413 (a body over 32 MiB) or 500 (an answer JSON cannot write). It
// panics if the token is empty.
func ControlHandler(cfg ControlConfig) http.Handler {
	if cfg.Token == "" {
		panic("backupapitest: ControlHandler needs a token")
	}
	return &control{cfg: cfg, base: cfg.Seed}
}

type control struct {
	cfg  ControlConfig
	mu   sync.Mutex // serializes reset and seed; guards base
	base *Seed
}

// controlError is an answer with a status other than 200.
type controlError struct {
	status int
	err    error
}

func (e *controlError) Error() string { return e.err.Error() }

// Unwrap lets writeControl find a body that was too large inside.
func (e *controlError) Unwrap() error { return e.err }

func badRequest(format string, args ...any) error {
	return &controlError{http.StatusBadRequest, fmt.Errorf(format, args...)}
}

// maxControlBody bounds a control request's body.
const maxControlBody = maxSeedSize

func (c *control) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !c.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="backupapi-fake control"`)
		writeControl(w, nil, &controlError{http.StatusUnauthorized,
			errors.New("the control API needs the header Authorization: Bearer <CONTROL_TOKEN>")})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxControlBody)
	routes := map[string]map[string]func(*http.Request) (any, error){
		"":       {http.MethodGet: c.index},
		"reset":  {http.MethodPost: c.reset},
		"seed":   {http.MethodPost: c.seed},
		"faults": {http.MethodGet: c.listFaults, http.MethodPost: c.injectFault, http.MethodDelete: c.clearFaults},
		"calls":  {http.MethodGet: c.calls},
		"clock":  {http.MethodGet: c.readClock, http.MethodPost: c.advanceClock},
		"jobs":   {http.MethodGet: c.readJobs, http.MethodPost: c.setJobs},
	}
	name, ok := strings.CutPrefix(r.URL.Path, ControlPath)
	if !ok && r.URL.Path+"/" == ControlPath {
		name, ok = "", true
	}
	methods, found := routes[strings.TrimSuffix(name, "/")]
	if !ok || !found {
		writeControl(w, nil, &controlError{http.StatusNotFound, fmt.Errorf("no control endpoint %s (see GET %s)", r.URL.Path, ControlPath)})
		return
	}
	handle, found := methods[r.Method]
	if !found {
		allow := make([]string, 0, len(methods))
		for m := range methods {
			allow = append(allow, m)
		}
		slices.Sort(allow)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeControl(w, nil, &controlError{http.StatusMethodNotAllowed, fmt.Errorf("%s %s: use %s", r.Method, r.URL.Path, strings.Join(allow, " or "))})
		return
	}
	v, err := handle(r)
	writeControl(w, v, err)
}

// authorized compares the bearer token in constant time; the scheme is
// case-insensitive (RFC 9110, section 11.1), the token is not.
func (c *control) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(string(c.cfg.Token))) == 1
}

// writeControl writes v, or the error with its problems. An answer that
// cannot be written as JSON is a 500 that says why, never a 200 without a
// body.
func writeControl(w http.ResponseWriter, v any, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err == nil {
		b, merr := json.Marshal(v)
		if merr == nil {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(append(b, '\n'))
			return
		}
		err = &controlError{http.StatusInternalServerError, fmt.Errorf("the answer cannot be written as JSON: %w", merr)}
	}
	status := http.StatusBadRequest
	var ce *controlError
	if errors.As(err, &ce) {
		status = ce.status
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		status = http.StatusRequestEntityTooLarge
	}
	type problem struct {
		Path    string `json:"path"`
		Problem string `json:"problem"`
	}
	out := struct {
		Error    string    `json:"error"`
		Problems []problem `json:"problems,omitempty"`
	}{Error: err.Error()}
	for _, e := range seedErrors(err) {
		out.Problems = append(out.Problems, problem{e.Path, e.Problem})
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(out)
}

// seedErrors unwraps the *SeedErrors of err.
func seedErrors(err error) []*SeedError {
	if se, ok := err.(*SeedError); ok {
		return []*SeedError{se}
	}
	var out []*SeedError
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = append(out, seedErrors(e)...)
		}
	case interface{ Unwrap() error }:
		out = seedErrors(u.Unwrap())
	}
	return out
}

// status is the answer of a call that only acts.
type status struct {
	Status string `json:"status"`
}

func (c *control) index(*http.Request) (any, error) {
	return map[string]any{
		"endpoints": []string{"GET " + ControlPath, "POST " + ControlPath + "reset", "POST " + ControlPath + "seed",
			"GET|POST|DELETE " + ControlPath + "faults", "GET " + ControlPath + "calls?last=N",
			"GET|POST " + ControlPath + "clock", "GET|POST " + ControlPath + "jobs"},
		"ahsayOps": c.ops("ahsay"), "xclarityOps": c.ops("xclarity"),
		"faultDrops": faultDropNames(), "faultBodies": faultBodyNames(),
	}, nil
}

// ops lists the operations of a fake present ([] without it).
func (c *control) ops(server string) []string {
	switch {
	case server == serverAhsay && c.cfg.Ahsay != nil:
		return AhsayOps
	case server == serverXClarity && c.cfg.XClarity != nil:
		return XClarityOps
	}
	return []string{}
}

func (c *control) reset(r *http.Request) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seed := c.base
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if seed, err = DecodeSeed(bytes.NewReader(body)); err != nil {
			return nil, err
		}
	}
	if err := ResetToSeed(seed, c.cfg.Ahsay, c.cfg.XClarity); err != nil {
		return nil, badRequest("%w", err)
	}
	c.base = seed
	return status{"reset"}, nil
}

func (c *control) seed(r *http.Request) (any, error) {
	s, err := DecodeSeed(r.Body)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ApplySeed(s, c.cfg.Ahsay, c.cfg.XClarity); err != nil {
		return nil, err
	}
	return status{"seeded"}, nil
}

// recorded is a request as the calls endpoint shows it.
type recorded struct {
	Server string `json:"server"`
	RecordedRequest
}

func (c *control) calls(r *http.Request) (any, error) {
	last := 20
	if v := r.URL.Query().Get("last"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, badRequest("last=%q: want a count of requests (0 to %d)", v, recordedRequests)
		}
		last = n
	}
	counts := map[string]map[string]int{}
	requests := []recorded{}
	if s := c.cfg.Ahsay; s != nil {
		counts[serverAhsay] = countsOf(s.faults, AhsayOps)
		for _, q := range s.Requests() {
			requests = append(requests, recorded{serverAhsay, q})
		}
	}
	if s := c.cfg.XClarity; s != nil {
		counts[serverXClarity] = countsOf(s.faults, XClarityOps)
		for _, q := range s.Requests() {
			requests = append(requests, recorded{serverXClarity, q})
		}
	}
	slices.SortFunc(requests, func(a, b recorded) int { return cmp.Compare(a.Seq, b.Seq) })
	requests = requests[max(0, len(requests)-last):]
	return map[string]any{"counts": counts, "requests": requests}, nil
}

// countsOf lists every operation's count, zeros included.
func countsOf(f *faults, ops []string) map[string]int {
	have := f.counts()
	out := make(map[string]int, len(ops))
	for _, op := range ops {
		out[op] = have[op]
	}
	return out
}

// lastClockYear is the last year the control API moves the clock into:
// RFC 3339 and encoding/json write no later time.
const lastClockYear = 9999

// clockState is the clock call's answer.
type clockState struct {
	Now time.Time `json:"now"`
}

func (c *control) clock() (ClockAdvancer, error) {
	if c.cfg.Clock == nil {
		return nil, &controlError{http.StatusConflict, errors.New("the fakes run on a clock the control API cannot move (ControlConfig.Clock is nil)")}
	}
	return c.cfg.Clock, nil
}

func (c *control) readClock(*http.Request) (any, error) {
	clock, err := c.clock()
	if err != nil {
		return nil, err
	}
	return clockState{clock.Now()}, nil
}

func (c *control) advanceClock(r *http.Request) (any, error) {
	clock, err := c.clock()
	if err != nil {
		return nil, err
	}
	var req struct {
		Advance Duration `json:"advance"`
	}
	if err := decodeStrict(r, &req); err != nil {
		return nil, err
	}
	if req.Advance <= 0 {
		return nil, badRequest(`advance: want a positive duration such as "90s" (the clock never goes back)`)
	}
	if to := clock.Now().Add(time.Duration(req.Advance)); to.Year() > lastClockYear {
		return nil, badRequest("advance %s: the clock would pass the year %d, the last that RFC 3339 and JSON can write", time.Duration(req.Advance), lastClockYear)
	}
	clock.Advance(time.Duration(req.Advance))
	return clockState{clock.Now()}, nil
}

// decodeStrict decodes a JSON body, refusing unknown keys.
func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("the body: %w", err)
	}
	if dec.More() {
		return badRequest("the body: more than one JSON value")
	}
	return nil
}

func (c *control) readJobs(*http.Request) (any, error) {
	return jobSettingsOf(c.cfg.Ahsay, c.cfg.XClarity), nil
}

func (c *control) setJobs(r *http.Request) (any, error) {
	var j JobSettings
	if err := decodeChecked(r.Body, "jobs", "", &j); err != nil {
		return nil, err
	}
	check := &seedCheck{}
	check.jobs(j, "")
	if err := errors.Join(check.problems...); err != nil {
		return nil, err
	}
	applyJobSettings(j, c.cfg.Ahsay, c.cfg.XClarity)
	return jobSettingsOf(c.cfg.Ahsay, c.cfg.XClarity), nil
}
