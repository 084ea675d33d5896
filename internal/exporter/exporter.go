package exporter

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Options tune New.
type Options struct {
	Logger *slog.Logger // default: discard
	// ClientOptions are added to every target's SDK client (an HTTP
	// client, a meter provider).
	ClientOptions []backupapi.Option
	// Extra collectors served on /metrics beside the exporter's own.
	Extra []prometheus.Collector
	// SDKMetrics serves the SDK's own call metrics (issue 20: calls,
	// attempts, retries and durations by operation and result) on
	// /metrics, through OpenTelemetry's Prometheus exporter.
	SDKMetrics bool
}

// Exporter refreshes its targets in the background and serves their last
// snapshots.
type Exporter struct {
	cfg     *Config
	meters  []*sdkmetric.MeterProvider // each target's SDK call metrics, when served
	log     *slog.Logger
	targets []*target
	byName  map[string]*target
	// state holds the targets' own metrics (up, refreshes, errors), the
	// SDK's and the extra collectors; snaps the snapshots' series, through
	// a Collector of const metrics (see Registry). /metrics writes the
	// snapshots without Gather (render.go).
	state, snaps *prometheus.Registry
}

// New builds the exporter; nothing runs until Run. A target whose
// credentials cannot be read, or whose SDK client cannot be built (its URL,
// its CA file), is an error naming it: it would fail every refresh.
//
// An error IsConfigError reports is the config's (a target that cannot be
// set up: a credential variable or file that is not there, a URL or CA
// file the SDK refuses); any other is the exporter's own.
func New(cfg *Config, o Options) (*Exporter, error) {
	known := &secrets{}
	log := slog.New(redactHandler{slog.DiscardHandler, known})
	if o.Logger != nil {
		log = slog.New(redactHandler{o.Logger.Handler(), known})
	}
	e := &Exporter{cfg: cfg, log: log, byName: map[string]*target{}, state: prometheus.NewRegistry(), snaps: prometheus.NewRegistry()}
	for _, tc := range cfg.Targets {
		tc.secrets = known
		clientOpts := o.ClientOptions
		if o.SDKMetrics {
			mp, err := e.sdkMeters(tc.Name)
			if err != nil {
				return nil, err
			}
			clientOpts = append(clientOpts[:len(clientOpts):len(clientOpts)], backupapi.WithMeterProvider(mp))
		}
		r, err := newRefresher(tc, clientOpts)
		if err != nil {
			return nil, configError{err}
		}
		if err := r.prepare(); err != nil {
			return nil, configError{fmt.Errorf("target %q: %w", tc.Name, err)}
		}
		t := newTarget(tc, r, log)
		e.targets = append(e.targets, t)
		e.byName[tc.Name] = t
	}
	if err := e.state.Register(&stateCollector{targets: e.targets}); err != nil {
		return nil, err
	}
	if err := e.snaps.Register(&snapshotsCollector{targets: e.targets}); err != nil {
		return nil, err
	}
	for _, c := range o.Extra {
		if err := e.state.Register(c); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// sdkMeters is the meter provider of one target's SDK client: its own
// OpenTelemetry bridge into the exporter's registry, whose series carry
// the target's name as their target label (a resource attribute the
// bridge writes as a constant label), as the exporter's own series do.
func (e *Exporter) sdkMeters(target string) (*sdkmetric.MeterProvider, error) {
	bridge, err := otelprom.New(otelprom.WithRegisterer(e.state), otelprom.WithoutTargetInfo(), otelprom.WithoutScopeInfo(),
		otelprom.WithResourceAsConstantLabels(attribute.NewAllowKeysFilter(targetAttr)))
	if err != nil {
		return nil, err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(bridge),
		sdkmetric.WithResource(resource.NewSchemaless(attribute.String(string(targetAttr), target))))
	e.meters = append(e.meters, mp)
	return mp, nil
}

// targetAttr is the resource attribute that names a target's SDK meters.
const targetAttr = attribute.Key("target")

// IsConfigError reports whether New refused the config (a mistake in the
// file or the environment it names), not failed on its own.
func IsConfigError(err error) bool {
	var ce configError
	return errors.As(err, &ce)
}

// Gatherer gathers everything /metrics serves through client_golang's
// registries (the exporter's own, never the global one): the state
// metrics, the SDK's, and the snapshots' const metrics. /metrics writes the
// same series, the snapshots' without Gather.
func (e *Exporter) Gatherer() prometheus.Gatherer { return prometheus.Gatherers{e.state, e.snaps} }

// Run refreshes every target on its interval until ctx ends, then logs the
// XClarity sessions out and returns. One target's failures never stop
// the others.
func (e *Exporter) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range e.targets {
		wg.Go(func() { t.run(ctx) })
	}
	wg.Wait()
	closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, t := range e.targets {
		t.r.close(closeCtx)
	}
	for _, mp := range e.meters {
		_ = mp.Shutdown(closeCtx)
	}
}

// Ready reports whether every target has ended one refresh, well or not.
func (e *Exporter) Ready() bool {
	for _, t := range e.targets {
		select {
		case <-t.done:
		default:
			return false
		}
	}
	return true
}

// WaitReady waits until Ready or ctx ends.
func (e *Exporter) WaitReady(ctx context.Context) error {
	for _, t := range e.targets {
		select {
		case <-t.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// stateCollector serves the targets' own metrics.
type stateCollector struct{ targets []*target }

// Describe sends the state metrics' descriptions.
func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range stateMetrics {
		ch <- m.desc
	}
}

// Collect sends each target's own metrics; it never calls a backup server.
func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	for _, t := range c.targets {
		t.collectState(ch)
	}
}

// snapshotsCollector serves the targets' last snapshots as const metrics.
type snapshotsCollector struct{ targets []*target }

// Describe sends the snapshot metrics' descriptions.
func (c *snapshotsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range Metrics {
		if !slices.Contains(stateMetrics, m) {
			ch <- m.desc
		}
	}
}

// Collect sends each target's last snapshot; it never calls a backup server.
func (c *snapshotsCollector) Collect(ch chan<- prometheus.Metric) {
	for _, t := range c.targets {
		if snap, _ := t.served(); snap != nil {
			snap.collect(ch)
		}
	}
}

// Handler serves /metrics, /probe?target=NAME, /-/healthy and /-/ready.
func (e *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	opts := promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, ErrorLog: slogPrinter{e.log}}
	logErr := func(err error) { opts.ErrorLog.Println(err) }
	mux.Handle("GET /metrics", expositionHandler(e.state, func() []*target { return e.targets }, logErr))
	mux.HandleFunc("GET /probe", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("target")
		if name == "" { // as the blackbox exporter answers a probe without one
			http.Error(w, "no target: /probe?target=NAME, a name from the config file", http.StatusBadRequest)
			return
		}
		t, ok := e.byName[name]
		if !ok {
			if len(name) > 64 { // a probe's answer never echoes more than a name's worth of its query
				name = name[:64] + "…"
			}
			http.Error(w, fmt.Sprintf("unknown target %q: the config file names the targets", name), http.StatusNotFound)
			return
		}
		reg := prometheus.NewRegistry()
		reg.MustRegister(&stateCollector{targets: []*target{t}})
		expositionHandler(reg, func() []*target { return []*target{t} }, logErr).ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /-/healthy", func(w http.ResponseWriter, _ *http.Request) { _, _ = fmt.Fprintln(w, "OK") })
	mux.HandleFunc("GET /-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !e.Ready() {
			http.Error(w, "not ready: a target has not ended its first refresh", http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprintln(w, "OK")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, "<html><head><title>backupapi exporter</title></head><body><h1>backupapi exporter</h1><p><a href=\"/metrics\">metrics</a></p><ul>")
		for _, t := range e.targets {
			n := html.EscapeString(t.cfg.Name)
			_, _ = fmt.Fprintf(w, "<li><a href=\"/probe?target=%s\">%s</a> (%s)</li>", n, n, html.EscapeString(t.cfg.Type))
		}
		_, _ = fmt.Fprint(w, "</ul></body></html>")
	})
	return e.withAuth(mux)
}

// withAuth asks for basic auth on every path but /-/healthy, when the
// config sets it up.
func (e *Exporter) withAuth(h http.Handler) http.Handler {
	web := e.cfg.Web
	if web.BasicAuthUser == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/-/healthy" {
			want, err := secretFrom(web.BasicAuthPasswordEnv, web.BasicAuthPasswordFile)
			user, pw, ok := r.BasicAuth()
			if err != nil || !ok || subtle.ConstantTimeCompare([]byte(user), []byte(web.BasicAuthUser)) != 1 ||
				subtle.ConstantTimeCompare([]byte(pw), []byte(want)) != 1 {
				w.Header().Set("WWW-Authenticate", `Basic realm="backupapi exporter"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// Serve runs the exporter and its HTTP server on ln until ctx ends (SIGTERM),
// then shuts the server down gracefully (in-flight scrapes finish, within
// 10 s) and stops the refreshes.
func (e *Exporter) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: e.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(e.log.Handler(), slog.LevelWarn)}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(runCtx) })
	errc := make(chan error, 1)
	go func() {
		var err error
		if e.cfg.Web.TLSCertFile != "" {
			err = srv.ServeTLS(ln, e.cfg.Web.TLSCertFile, e.cfg.Web.TLSKeyFile)
		} else {
			err = srv.Serve(ln)
		}
		errc <- err
	}()
	e.log.Info("listening", "address", ln.Addr().String(), "targets", len(e.targets))
	var err error
	select {
	case <-ctx.Done():
		e.log.Info("shutting down")
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(shut)
		cancel()
		<-errc
	case err = <-errc:
	}
	stop()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// slogPrinter hands promhttp's errors to slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Error("serving metrics", "error", fmt.Sprint(v...)) }
