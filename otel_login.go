package backupapi

import (
	"context"

	"go.opentelemetry.io/otel/trace"
)

// loginSpanKey is the context key of where a login's span context is to be
// written, for the calls that wait for that login to link to it.
type loginSpanKey struct{}

// loginTrace returns ctx carrying slot, into which the login made with the
// returned context writes its span's context. Without a tracer it returns
// ctx.
func (c *core) loginTrace(ctx context.Context, slot *trace.SpanContext) context.Context {
	if c.obs == nil || c.obs.tracer == nil {
		return ctx
	}
	return context.WithValue(ctx, loginSpanKey{}, slot)
}

// noteLoginSpan writes the span of a login call into the slot its context
// carries, if any.
func noteLoginSpan(cc *callContext, span trace.Span) {
	if slot, ok := cc.Context.Value(loginSpanKey{}).(*trace.SpanContext); ok {
		*slot = span.SpanContext()
	}
}

// linkLogin links the span of the call ctx belongs to to the login it
// waited for (sc, the login's span context).
func (c *core) linkLogin(ctx context.Context, sc trace.SpanContext) {
	if c.obs == nil || c.obs.tracer == nil || !sc.IsValid() {
		return
	}
	span := trace.SpanFromContext(ctx)
	span.AddLink(trace.Link{SpanContext: sc})
	span.SetAttributes(attrLoginWaited.Bool(true))
}

// endLogin ends a login call as endCall does, and counts its failure.
func (c *core) endLogin(st *callState, err error) error {
	if err != nil && c.obs != nil && c.obs.metrics != nil {
		c.obs.metrics.loginFailed(describe(err).kind)
	}
	return c.endCall(st, err)
}

// loginHeld counts a call refused because a refused login is held.
func (c *core) loginHeld() {
	if c.obs != nil && c.obs.metrics != nil {
		c.obs.metrics.loginHeldBack()
	}
}
