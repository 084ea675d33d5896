package exporter

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Namespace prefixes every metric name.
const Namespace = "backupapi"

// MetricInfo describes one metric the exporter serves: the README's list is
// generated from Metrics and tested to match it.
type MetricInfo struct {
	Name   string
	Type   string // gauge or counter
	Help   string
	Labels []string
	desc   *prometheus.Desc
}

var (
	setLabels    = []string{"target", "owner", "user", "set", "set_id"}
	userLabels   = []string{"target", "owner", "user"}
	targetLabels = []string{"target"}
)

func metric(name, typ, help string, labels ...string) *MetricInfo {
	return &MetricInfo{Name: Namespace + "_" + name, Type: typ, Help: help, Labels: labels,
		desc: prometheus.NewDesc(Namespace+"_"+name, help, labels, nil)}
}

func withLabel(labels []string, more ...string) []string {
	return append(append([]string(nil), labels...), more...)
}

// The metrics, in the order Collect emits them.
var (
	mUp = metric("up", "gauge",
		"1 when the target's last refresh succeeded, 0 when it failed (error says why: auth, permission, unavailable, timeout, unexpected_response, server, not_found, config, other; not_yet_refreshed before the first refresh ends).",
		"target", "type", "error")
	mLastRefresh = metric("last_refresh_success_timestamp_seconds", "gauge",
		"When the target's last successful refresh ended (0: none yet).", targetLabels...)
	mRefreshDuration = metric("refresh_duration_seconds", "gauge",
		"How long the target's last refresh took, successful or not.", targetLabels...)
	mRefreshes = metric("refreshes_total", "counter",
		"Refreshes of the target, by result (success or error).", "target", "result")
	mRefreshErrors = metric("refresh_errors_total", "counter",
		"Errors met while refreshing the target, by kind: a failed refresh, or one user or call that could not be read within one.", "target", "kind")
	mSnapshotSeries = metric("snapshot_series", "gauge",
		"Series of the target in the snapshot served.", targetLabels...)

	mSetLastSuccess = metric("ahsay_backup_set_last_success_timestamp_seconds", "gauge",
		"When the backup set's newest successful job ended; 0 when no success is known (never, or older than the lookback).", setLabels...)
	mSetOutcome = metric("ahsay_backup_set_last_job_outcome", "gauge",
		"1 for the outcome of the backup set's newest job (success, success with warnings, success with errors, running, stopped by user, missed, failed, unknown; none: no job).",
		withLabel(setLabels, "outcome")...)
	mSetFailures = metric("ahsay_backup_set_consecutive_failures", "gauge",
		"Failed or missed jobs of the backup set since its last success.", setLabels...)
	mSetOverdue = metric("ahsay_backup_set_overdue", "gauge",
		"The freshness policy's verdict on the backup set: 0 fresh, 1 past warn (or its own schedule), 2 past critical, 3 never succeeded.", setLabels...)

	mUserLastBackup = metric("ahsay_user_last_backup_timestamp_seconds", "gauge",
		"When the user last ran a backup, whatever its outcome (ListUsers' LastBackupDate); 0: never.", userLabels...)
	mUserQuotaUsed = metric("ahsay_user_quota_used_bytes", "gauge", "Storage the user uses.", userLabels...)
	mUserQuota     = metric("ahsay_user_quota_bytes", "gauge", "The user's storage quota (0: none set).", userLabels...)

	mLicenseQuota = metric("ahsay_license_quota", "gauge",
		"Licences of the module (vm, hypervisor_socket, nas, office365).", "target", "module")
	mLicenseUsed = metric("ahsay_license_used", "gauge",
		"Licences of the module in use.", "target", "module")
	mLicenseRemaining = metric("ahsay_license_remaining", "gauge",
		"Licences of the module still free.", "target", "module")

	mXCNewestBackup = metric("xclarity_newest_backup_timestamp_seconds", "gauge",
		"When the newest backup of the location was taken.", "target", "location")
	mXCBackups = metric("xclarity_backups", "gauge",
		"Backups the location holds.", "target", "location")
	mXCLastJob = metric("xclarity_last_backup_job_state", "gauge",
		"1 for the state of the appliance's newest backup job (Complete, Running, Stopped_With_Error, ...).", "target", "state")
	mXCLastJobFailed = metric("xclarity_last_backup_job_failed", "gauge",
		"1 when the appliance's newest backup job ended in failure.", targetLabels...)
	mXCJobs = metric("xclarity_jobs", "gauge",
		"The appliance's jobs, by state.", "target", "state")
	mXCQuiesced = metric("xclarity_quiesced", "gauge",
		"1 while a backup or restore runs and the appliance is quiesced.", targetLabels...)
	mXCOverdue = metric("xclarity_backup_overdue", "gauge",
		"The freshness policy's verdict on the newest backup anywhere: 0 fresh, 1 past warn, 2 past critical, 3 no backup at all.", targetLabels...)
)

// stateMetrics are the targets' own metrics, made at each scrape; the
// others come from snapshots.
var stateMetrics = []*MetricInfo{mUp, mLastRefresh, mRefreshDuration, mRefreshes, mRefreshErrors, mSnapshotSeries}

// Metrics lists every metric of the exporter (the SDK's call metrics,
// when enabled, come from the OpenTelemetry bridge and are not listed).
var Metrics = []*MetricInfo{
	mUp, mLastRefresh, mRefreshDuration, mRefreshes, mRefreshErrors, mSnapshotSeries,
	mSetLastSuccess, mSetOutcome, mSetFailures, mSetOverdue,
	mUserLastBackup, mUserQuotaUsed, mUserQuota,
	mLicenseQuota, mLicenseUsed, mLicenseRemaining,
	mXCNewestBackup, mXCBackups, mXCLastJob, mXCLastJobFailed, mXCJobs, mXCQuiesced, mXCOverdue,
}

// sample is one series of a snapshot: a gauge whose label pairs may be
// shared with the other series of the same set or user (and the pairs
// themselves with every series of the same target, owner or user), so that
// a snapshot of 30,000 sets costs a few hundred bytes a set.
type sample struct {
	desc   *prometheus.Desc
	labels []*dto.LabelPair // sorted by name, as Gather wants them
	value  float64
	// text is the labels as the text format writes them, {a="b",...}, made
	// once per label set by builder.done: /metrics writes it as it is.
	text string
}

// Desc implements prometheus.Metric.
func (s *sample) Desc() *prometheus.Desc { return s.desc }

// Write implements prometheus.Metric.
func (s *sample) Write(m *dto.Metric) error {
	v := s.value
	m.Label, m.Gauge = s.labels, &dto.Gauge{Value: &v}
	return nil
}
