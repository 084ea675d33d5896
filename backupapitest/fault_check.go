package backupapitest

import (
	"fmt"
	"time"
)

// MaxFaultSize bounds Fault.Size: the fake builds an oversized body in
// memory, and a size beyond memory would end the process.
const MaxFaultSize = 1 << 30

// check is the one validation of a fault's values, for Inject (which
// panics on its error) and the control API (which answers 400 with it).
// The error names the field as the control API's JSON does. A fault that
// does nothing (the zero Fault, which table tests inject for "no fault")
// is valid here; only the control API refuses it, as the likely sign of a
// request that lost its fields.
func (f Fault) check() error {
	switch {
	case f.Status != 0 && (f.Status < 200 || f.Status > 599):
		return fmt.Errorf("status %d: not an HTTP status of an answer (200 to 599)", f.Status)
	case f.Drop < NoDrop || f.Drop > DropAfterAct:
		return fmt.Errorf("drop %d: not a DropMode", f.Drop)
	case f.Body < BodyOK || f.Body > BodyEcho:
		return fmt.Errorf("body %d: not a BodyFault", f.Body)
	case f.Delay < 0:
		return fmt.Errorf("delay %s: cannot be negative", f.Delay)
	case f.RetryAfter < 0:
		return fmt.Errorf("retryAfter %s: cannot be negative", f.RetryAfter)
	case f.Size < 0:
		return fmt.Errorf("size %d: cannot be negative", f.Size)
	case f.RetryAfter%time.Second != 0:
		return fmt.Errorf("retryAfter %s: Retry-After counts whole seconds", f.RetryAfter)
	case f.Size > MaxFaultSize:
		return fmt.Errorf("size %d: more than the fake will build in memory (%d, 1 GiB)", f.Size, MaxFaultSize)
	case f.Times < -1:
		return fmt.Errorf("times %d: want a count of calls, or -1 for every call", f.Times)
	}
	return nil
}

// mustBeValid panics on an invalid fault, as mustKnow does on an unknown
// operation.
func mustBeValid(server string, f Fault) {
	if err := f.check(); err != nil {
		panic(fmt.Sprintf("backupapitest: %s.Inject: %v", server, err))
	}
}
