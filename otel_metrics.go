package backupapi

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// metricDef is one metric the SDK records: the README's table of metrics
// is tested against this list.
type metricDef struct {
	name, instrument, unit, description string
	attributes                          []attribute.Key
}

// Metric names, after OpenTelemetry's conventions: the HTTP client's own
// (http.client.*), the SDK's under backupapi.client.
const (
	metricCallDuration    = "backupapi.client.operation.duration"
	metricActiveCalls     = "backupapi.client.active_operations"
	metricAttempts        = "backupapi.client.attempts"
	metricRetries         = "backupapi.client.retries"
	metricRequestDuration = "http.client.request.duration"
	metricBodySize        = "http.client.response.body.size"
	metricLoginFailures   = "backupapi.client.login.failures"
	metricLoginHeld       = "backupapi.client.login.held"
)

var metricDefs = []metricDef{
	{metricCallDuration, "Float64Histogram", "s", "Duration of SDK calls, retries and waits included",
		[]attribute.Key{attrProduct, attrOperation, attrResult}},
	{metricActiveCalls, "Int64UpDownCounter", "{operation}", "SDK calls under way",
		[]attribute.Key{attrProduct, attrOperation}},
	{metricAttempts, "Int64Counter", "{attempt}", "HTTP attempts sent by SDK calls",
		[]attribute.Key{attrProduct, attrOperation}},
	{metricRetries, "Int64Counter", "{retry}", "HTTP attempts after a call's first",
		[]attribute.Key{attrProduct, attrOperation}},
	{metricRequestDuration, "Float64Histogram", "s", "Duration of HTTP attempts, until the answer's body is closed",
		[]attribute.Key{attrMethod, attrServerAddress, attrServerPort, attrURLTemplate, attrStatusCode, attrErrorType}},
	{metricBodySize, "Int64Histogram", "By", "Bytes of answer bodies received",
		[]attribute.Key{attrMethod, attrServerAddress, attrServerPort, attrURLTemplate, attrStatusCode}},
	{metricLoginFailures, "Int64Counter", "{failure}", "XClarity logins that failed",
		[]attribute.Key{attrResult}},
	{metricLoginHeld, "Int64Counter", "{call}", "XClarity calls refused without a login, a refused login being held",
		nil},
}

// durationBuckets are OpenTelemetry's advised boundaries for HTTP
// durations, in seconds, extended for calls that wait and retry.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120}

// instruments are a client's metrics, and the attribute sets of the
// operations it has called, cached so that recording allocates nothing.
type instruments struct {
	callDuration    metric.Float64Histogram
	active          metric.Int64UpDownCounter
	attempts        metric.Int64Counter
	retries         metric.Int64Counter
	requestDuration metric.Float64Histogram
	bodySize        metric.Int64Histogram
	loginFailures   metric.Int64Counter
	loginHeld       metric.Int64Counter

	opSets  readMostly[opKey, metric.MeasurementOption]
	product attribute.KeyValue
}

// opKey names an attribute set: an operation, with a result or not.
type opKey struct{ op, result string }

func newInstruments(mp metric.MeterProvider, source Source) (*instruments, error) {
	m := mp.Meter(instrumentationName, metric.WithInstrumentationVersion(Version))
	in := &instruments{product: attrProduct.String(string(source))}
	d := func(name string) metricDef {
		for _, def := range metricDefs {
			if def.name == name {
				return def
			}
		}
		panic("backupapi: no metric " + name)
	}
	f64h := func(name string) (metric.Float64Histogram, error) {
		def := d(name)
		return m.Float64Histogram(name, metric.WithUnit(def.unit), metric.WithDescription(def.description), metric.WithExplicitBucketBoundaries(durationBuckets...))
	}
	i64c := func(name string) (metric.Int64Counter, error) {
		def := d(name)
		return m.Int64Counter(name, metric.WithUnit(def.unit), metric.WithDescription(def.description))
	}
	var errs [8]error
	in.callDuration, errs[0] = f64h(metricCallDuration)
	in.active, errs[1] = m.Int64UpDownCounter(metricActiveCalls, metric.WithUnit(d(metricActiveCalls).unit), metric.WithDescription(d(metricActiveCalls).description))
	in.attempts, errs[2] = i64c(metricAttempts)
	in.retries, errs[3] = i64c(metricRetries)
	in.requestDuration, errs[4] = f64h(metricRequestDuration)
	in.bodySize, errs[5] = m.Int64Histogram(metricBodySize, metric.WithUnit(d(metricBodySize).unit), metric.WithDescription(d(metricBodySize).description))
	in.loginFailures, errs[6] = i64c(metricLoginFailures)
	in.loginHeld, errs[7] = i64c(metricLoginHeld)
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return in, nil
}

// set returns the cached attribute set of op (with result, if not "").
func (in *instruments) set(op, result string) metric.MeasurementOption {
	return in.opSets.get(opKey{op, result}, func() metric.MeasurementOption {
		attrs := []attribute.KeyValue{in.product, attrOperation.String(op)}
		if result != "" {
			attrs = append(attrs, attrResult.String(result))
		}
		return metric.WithAttributeSet(attribute.NewSet(attrs...))
	})
}

// callStarted counts a call of op in flight.
func (in *instruments) callStarted(op string) {
	in.active.Add(bg, 1, in.set(op, ""))
}

// callEnded counts a call of op no longer in flight and records its
// duration by its result.
func (in *instruments) callEnded(op, result string, d time.Duration) {
	in.active.Add(bg, -1, in.set(op, ""))
	in.callDuration.Record(bg, d.Seconds(), in.set(op, result))
}

// attempt counts an HTTP attempt of op, and a retry if it is one.
func (in *instruments) attempt(op string, retry bool) {
	s := in.set(op, "")
	in.attempts.Add(bg, 1, s)
	if retry {
		in.retries.Add(bg, 1, s)
	}
}

// started, ended and attempted are callStarted, callEnded and attempt
// with ob's prepared options: they allocate nothing.
func (in *instruments) started(ob *opObs) { in.active.Add(bg, 1, ob.counted...) }

func (in *instruments) ended(ob *opObs, op, result string, d time.Duration) {
	in.active.Add(bg, -1, ob.counted...)
	if result == resultOK {
		in.callDuration.Record(bg, d.Seconds(), ob.succeeded...)
		return
	}
	in.callDuration.Record(bg, d.Seconds(), in.set(op, result))
}

func (in *instruments) attempted(ob *opObs, retry bool) {
	in.attempts.Add(bg, 1, ob.counted...)
	if retry {
		in.retries.Add(bg, 1, ob.counted...)
	}
}

// loginFailed counts a failed login by its kind.
func (in *instruments) loginFailed(kind string) {
	in.loginFailures.Add(bg, 1, metric.WithAttributes(attrResult.String(kind)))
}

// bg is the context of measurements: the SDK records no exemplars.
var bg = context.Background()

// loginHeldBack counts a call refused because a refused login is held.
func (in *instruments) loginHeldBack() { in.loginHeld.Add(bg, 1) }
