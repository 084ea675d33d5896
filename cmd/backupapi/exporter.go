package main

import (
	"log/slog"
	"net"

	"github.com/backupapi/backupapi/internal/exporter"
	"github.com/spf13/cobra"
)

// exporterCommand is "backupapi exporter": the Prometheus exporter.
func (a *app) exporterCommand() *cobra.Command {
	var config, listen, level, format string
	var sdkMetrics bool
	cmd := a.ownOutputCommand("exporter", "Serve backup freshness, quotas, licences and XClarity backups to Prometheus",
		"backupapi exporter --config exporter.yml", 0, 0,
		func(cmd *cobra.Command, _ []string) error {
			if config == "" {
				return usagef("--config is required: see examples/prometheus/exporter.yml")
			}
			cfg, err := exporter.LoadConfig(config)
			if err != nil {
				return usagef("%v", err)
			}
			if listen != "" {
				cfg.Listen = listen
			}
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(level)); err != nil {
				return usagef("--log-level %q: want debug, info, warn or error", level)
			}
			hopts := &slog.HandlerOptions{Level: lvl}
			var h slog.Handler
			switch format {
			case "json":
				h = slog.NewJSONHandler(a.errOut, hopts)
			case "text":
				h = slog.NewTextHandler(a.errOut, hopts)
			default:
				return usagef("--log-format %q: want json or text", format)
			}
			e, err := exporter.New(cfg, exporter.Options{Logger: slog.New(h), SDKMetrics: sdkMetrics})
			if exporter.IsConfigError(err) {
				// A target the config cannot set up: a credential variable or
				// file that is not there, a URL or CA file the SDK refuses. A
				// mistake in the file, as one LoadConfig finds: exit 2.
				return usageError{err}
			}
			if err != nil { // the exporter's own failure
				return err
			}
			ln, err := net.Listen("tcp", cfg.Listen)
			if err != nil {
				return err
			}
			return e.Serve(cmd.Context(), ln)
		})
	cmd.Long = `The exporter refreshes each target of its config file in the background, on the
target's interval, and serves the last completed refresh: a scrape never waits on a
backup server. /metrics serves every target (a target label on each series, the
SDK's call metrics included), /probe?target=NAME one of them; /-/healthy and /-/ready (ready once
every target has ended one refresh). SIGTERM shuts it down gracefully. Logs are JSON
(or, with --log-format text, key=value lines) on stderr, with the credentials masked.
A mistake in the config stops it at start with exit 2. See examples/prometheus/ for a
config, a scrape config and alerting rules.`
	f := cmd.Flags()
	f.StringVar(&config, "config", "", "the exporter's YAML config file (required)")
	f.StringVar(&listen, "listen", "", "address to listen on (default the config's listen, else "+exporter.DefaultListen+")")
	f.StringVar(&level, "log-level", "info", "debug, info, warn or error")
	f.StringVar(&format, "log-format", "json", "json or text")
	f.BoolVar(&sdkMetrics, "sdk-metrics", true, "also serve the SDK's call metrics (backupapi_client_*, http_client_*) by operation and result")
	return cmd
}
