package backupapitest

import (
	"slices"
	"sort"
)

// The faults' side of Faults, ClearFaults and Reset.

// pending lists the faults still waiting, by operation.
func (f *faults) pending() []InjectedFault {
	f.mu.Lock()
	defer f.mu.Unlock()
	ops := make([]string, 0, len(f.byOp))
	for op := range f.byOp {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	out := []InjectedFault{}
	for _, op := range ops {
		for _, fault := range f.byOp[op] {
			out = append(out, InjectedFault{Op: op, Fault: *fault})
		}
	}
	return out
}

// clear removes the faults of ops (all with none).
func (f *faults) clear(ops []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for op := range f.byOp {
		if len(ops) == 0 || slices.Contains(ops, op) {
			delete(f.byOp, op)
		}
	}
}

// counts returns how often the server acted on each operation.
func (f *faults) counts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.calls))
	for op, n := range f.calls {
		out[op] = n
	}
	return out
}

// reset forgets faults, counts, peaks and recorded requests (calls under
// way stay counted in flight).
func (f *faults) reset() {
	f.mu.Lock()
	f.byOp, f.calls, f.peaks = map[string][]*Fault{}, map[string]int{}, map[string]int{}
	f.mu.Unlock()
	f.requests.reset()
}
