package backupapi

import (
	"context"
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// instrumentationName names the SDK's tracer and meter.
const instrumentationName = "github.com/backupapi/backupapi"

// Attribute keys. The HTTP ones are OpenTelemetry's HTTP client semantic
// conventions; the others are the SDK's own, under "backupapi.".
const (
	attrProduct        = attribute.Key("backupapi.product")
	attrOperation      = attribute.Key("backupapi.operation")
	attrResult         = attribute.Key("backupapi.result")
	attrErrorKinds     = attribute.Key("backupapi.error.kinds")
	attrOutcomeUnknown = attribute.Key("backupapi.outcome_unknown")
	attrRetryable      = attribute.Key("backupapi.retryable")
	attrAttempts       = attribute.Key("backupapi.attempts")
	attrAttempt        = attribute.Key("backupapi.attempt")
	attrRetryWait      = attribute.Key("backupapi.retry.wait")
	attrFlowWait       = attribute.Key("backupapi.flow_control.wait")
	attrLoginWaited    = attribute.Key("backupapi.login.waited")
	attrMayHaveLeft    = attribute.Key("backupapi.attempt.may_have_left")
	attrYielded        = attribute.Key("backupapi.iterator.yielded")
	attrStoppedEarly   = attribute.Key("backupapi.iterator.stopped_early")
	attrErrorType      = attribute.Key("error.type")
	attrMethod         = attribute.Key("http.request.method")
	attrStatusCode     = attribute.Key("http.response.status_code")
	attrResendCount    = attribute.Key("http.request.resend_count")
	attrURLTemplate    = attribute.Key("url.template")
	attrServerAddress  = attribute.Key("server.address")
	attrServerPort     = attribute.Key("server.port")
)

// callObs is one call's share of the observer: its span and its clock.
// Like callState, it is only touched by the calling goroutine.
type callObs struct {
	span     trace.Span // nil without a tracer
	op       *opObs     // what the call's operation records
	start    time.Time
	attempts int       // HTTP attempts seen by the attempt transport
	lastEnd  time.Time // when the last attempt's answer came (or failed)
}

// spanName is a call's span name: product and operation, never a path.
func spanName(source Source, op string) string { return string(source) + " " + op }

// startCall begins observing the call cc: its span, as the parent of its
// attempts' spans and of what the call logs, and its in-flight count.
// Without an observer it does nothing.
func (c *core) startCall(cc *callContext) {
	o := c.obs
	if o == nil || (o.tracer == nil && o.metrics == nil) {
		return
	}
	ob := o.op(cc.st.op)
	cc.st.obsData = callObs{op: ob, start: time.Now()}
	co := &cc.st.obsData
	if o.tracer != nil {
		ctx, span := o.tracer.Start(cc.Context, ob.name, ob.start...)
		cc.Context, co.span = ctx, span
		if cc.st.op == "Login" {
			noteLoginSpan(cc, span)
		}
	}
	if o.metrics != nil {
		o.metrics.started(ob)
	}
	cc.st.obs = co
}

// endCall ends the observation of a call with its error (nil: success)
// and returns err. Ending twice is harmless.
func (c *core) endCall(st *callState, err error) error {
	co := st.obs
	if co == nil {
		return err
	}
	st.obs = nil
	r := describe(err)
	if co.span != nil {
		if err == nil && co.attempts == 1 {
			co.span.SetAttributes(co.op.endFirst...)
		} else if co.span.IsRecording() {
			co.span.SetAttributes(attrAttempts.Int(co.attempts), attrResult.String(r.kind))
			if err != nil {
				setFailure(co.span, r)
			}
		}
		co.span.End()
	}
	if m := c.obs.metrics; m != nil {
		m.ended(co.op, st.op, r.kind, time.Since(co.start))
	}
	return err
}

// errAbandoned ends the observation of a call left by a panic or
// runtime.Goexit in the code it ran (a streamed call's consumer).
var errAbandoned = errors.New("the call was abandoned: the code it ran panicked")

// endAbandoned ends a call that never reached endCall, as a deferred
// guard: after endCall it does nothing.
func (c *core) endAbandoned(st *callState) {
	if st.obs != nil {
		_ = c.endCall(st, errAbandoned)
	}
}

// setFailure records how a call or an operation failed: its kind, every
// sentinel it matches, whether its outcome is unknown and whether a repeat
// may succeed. The status description is the kind, never the message.
func setFailure(span trace.Span, r callResult) {
	attrs := []attribute.KeyValue{attrErrorType.String(r.kind), attrOutcomeUnknown.Bool(r.outcomeUnknown), attrRetryable.Bool(r.retryable)}
	if len(r.kinds) > 0 {
		attrs = append(attrs, attrErrorKinds.StringSlice(r.kinds))
	}
	if r.status != 0 {
		attrs = append(attrs, attrStatusCode.Int(r.status))
	}
	span.SetAttributes(attrs...)
	span.SetStatus(codes.Error, r.kind)
}

// opSpan is the span of a waiter or an iterator, around the calls it
// makes; its zero value, without a tracer, does nothing.
type opSpan struct{ span trace.Span }

// startOp begins the span of a waiter or an iterator named op, and
// returns the context its calls must use to be its children.
func (c *core) startOp(ctx context.Context, op string) (context.Context, opSpan) {
	if c.obs == nil || c.obs.tracer == nil {
		return ctx, opSpan{}
	}
	ob := c.obs.op(op)
	ctx, span := c.obs.tracer.Start(ctx, ob.name, ob.start...)
	return ctx, opSpan{span}
}

// end ends a waiter's span with its error.
func (s opSpan) end(err error) {
	if s.span == nil {
		return
	}
	r := describe(err)
	s.span.SetAttributes(attrResult.String(r.kind))
	if err != nil {
		setFailure(s.span, r)
	}
	s.span.End()
}

// endIter ends an iterator's span: its error, how many values it yielded
// and whether its consumer stopped before the end.
func (s opSpan) endIter(err error, yielded int, stoppedEarly bool) {
	if s.span == nil {
		return
	}
	s.span.SetAttributes(attrYielded.Int(yielded), attrStoppedEarly.Bool(stoppedEarly))
	s.end(err)
}

// observeIter opens the span of the iterator op around its calls: it
// returns the context the calls must use, yield wrapped to count what the
// consumer receives (and whether it stops early), and the function that
// ends the span, to defer. Without a tracer it returns ctx and yield as
// they are.
func observeIter[T any](c *core, ctx context.Context, op string, yield func(T, error) bool) (context.Context, func(T, error) bool, func()) {
	if c.obs == nil || c.obs.tracer == nil {
		return ctx, yield, noEnd
	}
	ctx, s := c.startOp(ctx, op)
	var (
		yielded int
		stopped bool
		last    error
	)
	wrapped := func(v T, err error) bool {
		if err != nil {
			last = err
		} else {
			yielded++
		}
		more := yield(v, err)
		stopped = stopped || (!more && err == nil)
		return more
	}
	return ctx, wrapped, func() { s.endIter(last, yielded, stopped) }
}

func noEnd() {}
