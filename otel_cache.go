package backupapi

import (
	"strconv"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// maxCachedSets bounds each of the observer's caches: operations are the
// SDK's names (and Do's endpoints), routes and answers are few; past the
// bound, what a call records is built for it alone.
const maxCachedSets = 1024

// readMostly is a map that calls read without a lock or a write to shared
// memory (so that many goroutines recording at once do not contend) and
// that rarely grows: a writer copies it. It stops growing at maxCachedSets
// entries.
type readMostly[K comparable, V any] struct {
	m  atomic.Pointer[map[K]V]
	mu sync.Mutex // serializes writers
}

// get returns k's value, building and keeping it on first use.
func (c *readMostly[K, V]) get(k K, build func() V) V {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[k]; ok {
			return v
		}
	}
	v := build()
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old == nil {
		old = &map[K]V{}
	}
	if w, ok := (*old)[k]; ok { // another goroutine built it meanwhile
		return w
	}
	if len(*old) >= maxCachedSets {
		return v
	}
	m := make(map[K]V, len(*old)+1)
	for key, val := range *old {
		m[key] = val
	}
	m[k] = v
	c.m.Store(&m)
	return v
}

// opObs is what every call of one operation records alike, built once:
// its span's name and start options and its metric attribute sets.
type opObs struct {
	name      string                  // the call span's name
	start     []trace.SpanStartOption // its kind and attributes
	endFirst  []attribute.KeyValue    // the end attributes of a call that succeeded at its first attempt
	counted   []metric.AddOption      // product and operation (nil without metrics)
	succeeded []metric.RecordOption   // product, operation and result "ok" (nil without metrics)

	route atomic.Pointer[routeObs] // the route the operation's attempts took last
}

// op returns the cached opObs of op.
func (o *observer) op(op string) *opObs {
	return o.ops.get(op, func() *opObs {
		ob := &opObs{name: spanName(o.source, op),
			start: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal),
				trace.WithAttributes(attrProduct.String(string(o.source)), attrOperation.String(op))},
			endFirst: []attribute.KeyValue{attrAttempts.Int(1), attrResult.String(resultOK)}}
		if o.metrics != nil {
			ob.counted = []metric.AddOption{o.metrics.set(op, "")}
			ob.succeeded = []metric.RecordOption{o.metrics.set(op, resultOK)}
		}
		return ob
	})
}

// routeKey names a route: an attempt's method and URL template.
type routeKey struct{ method, template string }

// routeObs is what every attempt on one route records alike, built once:
// its span's name, the start options of a first attempt that did not
// wait for its turn, and the attribute sets of its answers.
type routeObs struct {
	routeKey
	name    string                  // the attempt span's name
	first   []trace.SpanStartOption // a first attempt's span kind and attributes
	answer  atomic.Pointer[answerObs]
	answers readMostly[answerKey, *answerObs]
}

// route returns the cached routeObs of method and template; ob, the
// call's operation (nil when unknown), remembers the last one.
func (o *observer) route(ob *opObs, method, template string) *routeObs {
	k := routeKey{method, template}
	if ob != nil {
		if r := ob.route.Load(); r != nil && r.routeKey == k {
			return r
		}
	}
	r := o.routes.get(k, func() *routeObs {
		r := &routeObs{routeKey: k, name: method}
		if template != "" {
			r.name = method + " " + template
		}
		r.first = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(o.attemptAttrs(k, 1, 0, 0)...)}
		return r
	})
	if ob != nil {
		ob.route.Store(r)
	}
	return r
}

// attemptAttrs are the start attributes of an attempt's span: the
// attempt's number, and for a repeat how long it waited, and how long it
// waited for its turn under the flow control.
func (o *observer) attemptAttrs(k routeKey, attempt int, retryWait, flowWait float64) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs, attrMethod.String(k.method), o.host, o.port, attrAttempt.Int(attempt))
	if k.template != "" {
		attrs = append(attrs, attrURLTemplate.String(k.template))
	}
	if attempt > 1 {
		attrs = append(attrs, attrResendCount.Int(attempt-1), attrRetryWait.Float64(retryWait))
	}
	if flowWait > 0 {
		attrs = append(attrs, attrFlowWait.Float64(flowWait))
	}
	return attrs
}

// answerKey is how an attempt ended: its status (0: no answer) and its
// error.type ("" when it succeeded).
type answerKey struct {
	status    int
	errorType string
}

// answerObs is what every attempt on one route that ended alike records,
// built once.
type answerObs struct {
	answerKey
	statusAttr []attribute.KeyValue // http.response.status_code, when an answer came
	errorAttr  []attribute.KeyValue // error.type, when it failed
	duration   []metric.RecordOption
	size       []metric.RecordOption
}

// answer returns the cached answerObs of r's attempts that ended as k.
func (o *observer) answer(r *routeObs, k answerKey) *answerObs {
	if a := r.answer.Load(); a != nil && a.answerKey == k {
		return a
	}
	a := r.answers.get(k, func() *answerObs {
		a := &answerObs{answerKey: k}
		if k.status != 0 {
			a.statusAttr = []attribute.KeyValue{attrStatusCode.Int(k.status)}
		}
		if k.errorType != "" {
			a.errorAttr = []attribute.KeyValue{attrErrorType.String(k.errorType)}
		}
		if o.metrics != nil {
			attrs := make([]attribute.KeyValue, 0, 6)
			attrs = append(attrs, attrMethod.String(r.method), o.host, o.port)
			if r.template != "" {
				attrs = append(attrs, attrURLTemplate.String(r.template))
			}
			if k.status != 0 {
				attrs = append(attrs, attrStatusCode.Int(k.status))
			}
			a.size = []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(attrs...))}
			if k.errorType != "" {
				attrs = append(attrs, attrErrorType.String(k.errorType))
			}
			a.duration = []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(attrs...))}
		}
		return a
	})
	r.answer.Store(a)
	return a
}

// statusErrorType is the error.type of an answer with status code
// status: the code for a failure, "" otherwise.
func statusErrorType(status int) string {
	if status >= 400 {
		return strconv.Itoa(status)
	}
	return ""
}
