// Package backupapitest provides in-memory fakes of an AhsayCBS server and of
// a Lenovo XClarity Administrator, for tests of code that uses the backupapi
// SDK (or any other client: the fakes speak the products' JSON, not Go).
//
// Like net/http/httptest, NewAhsayServer and NewXClarityServer start a TLS
// server on a loopback port (plain http with PlainHTTP); Client returns an
// *http.Client that trusts it and Certificate its certificate;
// NewUnstartedAhsayServer and NewUnstartedXClarityServer return one that
// holds no socket until Start or StartTLS, and Handler serves without a
// socket (wrap it with Responder for httpmock, or Transport).
//
// Users are named (owner, login) everywhere, as AhsayCBS does; operations
// by the Op constants (AhsayOps, XClarityOps); job states by
// backupapi.JobStatus. Types that mirror an AhsayCBS record are prefixed
// Ahsay (AhsayUser, AhsayStorageStat, AhsayRunJob, AhsayLiveJob) and
// never share a name with a backupapi type.
//
//	srv := backupapitest.NewAhsayServer()
//	defer srv.Close()
//	client, _ := backupapi.NewAhsayClient(srv.URL, srv.SysUser, srv.SysPwd,
//		backupapi.WithHTTPClient(srv.Client()))
//
// The fakes keep real state (users, contacts, backups, jobs), answer with
// the references' field names, messages and ExptTypes, quirks included,
// refuse what the references say the products refuse, and read requests
// as the products do (AhsayCBS parameters from a JSON body, a form body or
// the query string; XClarity's /jobs beside /tasks), so that clients in
// any language can be tested against them. They can be told to misbehave
// with Inject. Calls counts how often the server acted on an operation, so
// a test can prove a request was not duplicated; Requests returns the last
// requests with their secrets masked. Both are safe for concurrent use.
//
// A Seed (LoadSeed, DecodeSeed; its JSON Schema is SeedSchema) holds every
// state the methods can set; ApplySeed adds it to the servers and
// ResetToSeed returns them to it. ControlHandler serves the same as a JSON
// control API for harnesses in other languages: the command backupapi-fake
// serves it beside both fakes.
package backupapitest
