// Package backupapi drives three backup-management products through one
// idiomatic Go API:
//
//   - AhsayCBS backup servers (AhsayClient): backup users, contacts, storage
//     statistics, rebuilds, live job status and auto-update;
//   - Lenovo XClarity Administrator (XClarityClient): management-server
//     backups and the jobs they start;
//   - Connected Backup Management API event codes (LookupEvent, MatchEvent,
//     ReadEventLog).
//
// All three report failure through one type, *Error, matched with errors.Is
// against the package's sentinels (ErrNotFound, ErrAuthentication, ...) and
// read with errors.As.
//
// Clients are safe for concurrent use, reuse connections, retry reads and
// idempotent calls with jittered exponential backoff, and never repeat a
// state-changing request unless it provably never reached the server.
// Secrets never appear in logs, errors, formatted values, spans, metrics
// or JSON (see Secret).
//
// # Observability and flow control
//
// WithTracerProvider and WithMeterProvider record OpenTelemetry spans and
// metrics (the SDK depends on OpenTelemetry's API only), WithPropagators
// sends the trace context, and log records carry the active span's IDs.
// WithRateLimit and WithMaxInFlight pace a client's HTTP requests.
// WithCallOptions overrides the retry budget and the attempt timeout for
// the calls made with one context. Without these options a call costs
// what it always did.
//
// # Method shapes
//
// Every method takes ctx first. A call whose only input is one identifier
// takes it directly: a UserRef for a user (GetUser, RemoveUser), a string
// for a job ID (GetJob; several IDs variadically). Every call with more
// inputs takes a pointer to its request struct (embedding UserRef where a
// user is concerned), and a nil request is an ErrInvalidRequest error
// ("ahsay AddUser: nil request"); only a filter whose every field is
// optional (ListUsers, AllUsers, ListJobs, ListPolicyGroups,
// ListSystemUsers, ListUserGroups) may be nil, meaning no filter. Waiters
// (WaitForJob, WaitForBackup, WaitForRebuild) take their target and
// WaitOptions and keep the contract WaitOptions describes; they wait on
// WaitOptions.Clock, which a test sets to a fake clock. Sizes are Bytes (GB where the server
// counts gigabytes), times are time.Time or Timestamp, states are typed
// strings, and numbers the servers may send as strings are Int64, Bytes
// or GB, which decode either. Each method's doc ends with the request it
// sends ("Wire: ...") and the answer it reads ("Answer: ...": the envelope
// key, such as User or Data, and what an answer without it is), which is
// what a stub written with httpmock must send.
//
// # Design
//
// A call travels: build (the endpoint table row, ahsay_endpoints.go or
// xclarity_endpoints.go, gives the operation, path, idempotency and answer
// shape; the request is checked and encoded) → send (send.go: one call
// state per call in the context, credentials added, the attempt logged) →
// retry (retry.go: retryablehttp repeats refused connections and 429/5xx
// answers of idempotent calls, core.repeat repeats answers that broke off;
// one budget per call) → decode (decode.go, into the answer shape, read
// from a pooled buffer) → classify (errors_table.go, unexpected.go:
// product failures become *Error with their sentinels, and every secret
// the call carried is masked). To add an endpoint: declare its request and
// answer types, add one row to the table, write the one-line method with
// its doc and "Wire:" and "Answer:" paragraphs, and add a row to the
// request and replay tests.
package backupapi
