package backupapitest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// The control API's faults: Fault in JSON, with names for its kinds.

// The fakes' names in the control API.
const (
	serverAhsay    = "ahsay"
	serverXClarity = "xclarity"
)

// faultDrops and faultBodies name DropMode and BodyFault values in JSON
// (NoDrop and BodyOK are the absent key).
var (
	faultDrops  = map[string]DropMode{"beforeAct": DropBeforeAct, "afterAct": DropAfterAct}
	faultBodies = map[string]BodyFault{"html": BodyHTML, "truncated": BodyTruncated, "empty": BodyEmpty,
		"oversized": BodyOversized, "stall": BodyStall, "echo": BodyEcho}
)

func faultDropNames() []string { return sortedKeys(faultDrops) }
func faultBodyNames() []string { return sortedKeys(faultBodies) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func nameOf[V comparable](m map[string]V, v V) string {
	for k, x := range m {
		if x == v {
			return k
		}
	}
	return ""
}

// controlFault is a Fault in the control API, with the operation it is
// for: every field of Fault has one here of the same name.
type controlFault struct {
	Server     string   `json:"server,omitempty"`
	Op         string   `json:"op"`
	Status     int      `json:"status,omitempty"`
	RetryAfter Duration `json:"retryAfter,omitempty"`
	Delay      Duration `json:"delay,omitempty"`
	Drop       string   `json:"drop,omitempty"`
	Body       string   `json:"body,omitempty"`
	AfterAct   bool     `json:"afterAct,omitempty"`
	Times      int      `json:"times,omitempty"`
	Size       int      `json:"size,omitempty"`
}

// fault converts the JSON form, refusing unknown names and, through the
// check Inject makes (Fault.check), invalid values.
func (cf controlFault) fault() (Fault, error) {
	f := Fault{Status: cf.Status, RetryAfter: time.Duration(cf.RetryAfter), Delay: time.Duration(cf.Delay),
		AfterAct: cf.AfterAct, Times: cf.Times, Size: cf.Size}
	var ok bool
	if cf.Drop != "" {
		if f.Drop, ok = faultDrops[cf.Drop]; !ok {
			return Fault{}, badRequest("drop %q: not one of %s", cf.Drop, strings.Join(faultDropNames(), ", "))
		}
	}
	if cf.Body != "" {
		if f.Body, ok = faultBodies[cf.Body]; !ok {
			return Fault{}, badRequest("body %q: not one of %s", cf.Body, strings.Join(faultBodyNames(), ", "))
		}
	}
	if err := f.check(); err != nil {
		return Fault{}, badRequest("%v", err)
	}
	if f.Status == 0 && f.Delay == 0 && f.Drop == NoDrop && f.Body == BodyOK {
		return Fault{}, badRequest("the fault does nothing: give a status, a delay, a drop or a body")
	}
	return f, nil
}

func wireFault(server string, in InjectedFault) controlFault {
	f := in.Fault
	return controlFault{Server: server, Op: in.Op, Status: f.Status, RetryAfter: Duration(f.RetryAfter),
		Delay: Duration(f.Delay), Drop: nameOf(faultDrops, f.Drop), Body: nameOf(faultBodies, f.Body),
		AfterAct: f.AfterAct, Times: f.Times, Size: f.Size}
}

// serverOf picks the fake an operation belongs to.
func (c *control) serverOf(server, op string) (string, error) {
	var in []string
	if slices.Contains(c.ops(serverAhsay), op) {
		in = append(in, serverAhsay)
	}
	if slices.Contains(c.ops(serverXClarity), op) {
		in = append(in, serverXClarity)
	}
	switch {
	case server != "" && server != serverAhsay && server != serverXClarity:
		return "", badRequest("server %q: not ahsay or xclarity", server)
	case server != "" && slices.Contains(in, server):
		return server, nil
	case server == "" && len(in) == 1:
		return in[0], nil
	case server == "" && len(in) == 2:
		return "", badRequest("op %q: both fakes have it; say which with \"server\"", op)
	}
	return "", badRequest("unknown operation %q; AhsayCBS: %s; XClarity: %s", op,
		strings.Join(c.ops(serverAhsay), ", "), strings.Join(c.ops(serverXClarity), ", "))
}

func (c *control) listFaults(*http.Request) (any, error) {
	out := []controlFault{}
	if s := c.cfg.Ahsay; s != nil {
		for _, f := range s.Faults() {
			out = append(out, wireFault(serverAhsay, f))
		}
	}
	if s := c.cfg.XClarity; s != nil {
		for _, f := range s.Faults() {
			out = append(out, wireFault(serverXClarity, f))
		}
	}
	return map[string]any{"faults": out}, nil
}

func (c *control) injectFault(r *http.Request) (any, error) {
	var cf controlFault
	if err := decodeStrict(r, &cf); err != nil {
		return nil, err
	}
	server, err := c.serverOf(cf.Server, cf.Op)
	if err != nil {
		return nil, err
	}
	f, err := cf.fault()
	if err != nil {
		return nil, err
	}
	if server == serverAhsay {
		c.cfg.Ahsay.Inject(cf.Op, f)
	} else {
		c.cfg.XClarity.Inject(cf.Op, f)
	}
	return c.listFaults(r)
}

func (c *control) clearFaults(r *http.Request) (any, error) {
	op := r.URL.Query().Get("op")
	if op == "" {
		if c.cfg.Ahsay != nil {
			c.cfg.Ahsay.ClearFaults()
		}
		if c.cfg.XClarity != nil {
			c.cfg.XClarity.ClearFaults()
		}
		return c.listFaults(r)
	}
	server, err := c.serverOf(r.URL.Query().Get("server"), op)
	if err != nil {
		return nil, err
	}
	if server == serverAhsay {
		c.cfg.Ahsay.ClearFaults(op)
	} else {
		c.cfg.XClarity.ClearFaults(op)
	}
	return c.listFaults(r)
}
