package backupapitest

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// isSessionPath reports whether r is DELETE /sessions/{id}, which closes
// the session it names (Lenovo's xclarity_client closes the session its
// credentials check opened this way).
func isSessionPath(r *http.Request) bool {
	return r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/sessions/")
}

// hasBasicAuth reports whether a request carries a user name and password.
func hasBasicAuth(r *http.Request) bool {
	_, _, ok := r.BasicAuth()
	return ok
}

// loginAnswer is POST /sessions's answer: the session in
// response.session, as Lenovo's POST /sessions page describes it, and
// messages whose first names the session ID (what Lenovo's Ruby client
// reads as the ID to close) followed by the success message.
func (s *XClarityServer) loginAnswer(r *http.Request, id string, ss *xcSession) map[string]any {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return map[string]any{
		"result": "success",
		"response": map[string]any{
			"pwChangeRequired": false,
			"session": map[string]any{
				"id": id, "csrf": ss.csrf, "UserId": ss.user, "created": ss.created.UTC().Format(time.RFC3339),
				"inactivityTimeout": int(s.sessionTimeout / time.Minute), "Address": host, "authenticationServer": "local",
			},
		},
		"messages": []any{
			map[string]any{"id": id, "text": "The session " + id + " was created."},
			map[string]any{"id": "FQXHMSE0001I", "text": "The request completed successfully.",
				"explanation": "", "recovery": map[string]any{"text": "Information only; no action is required.", "URL": ""}},
		},
	}
}

// deleteSession is DELETE /sessions/{id}: 200 when the session was open,
// 404 when the appliance does not know it.
func (s *XClarityServer) deleteSession(r *http.Request, a *answer) {
	a.acted = true
	id := strings.TrimPrefix(r.URL.Path, "/sessions/")
	if s.openSessionLocked(id) == nil {
		a.status = http.StatusNotFound
		a.json(failed("FQXHMSE0404J", "The session was not found.")) // the ID is a credential: not echoed
		return
	}
	delete(s.sessions, id)
	a.json(map[string]any{"result": "success", "messages": []any{map[string]any{"id": "FQXHMSE0001I", "text": "The request completed successfully."}}})
}

// openSessionLocked returns the session of an ID if it is open, and nil
// if the appliance does not know it or it was idle past the inactivity
// timeout (it is then closed).
func (s *XClarityServer) openSessionLocked(id string) *xcSession {
	ss, ok := s.sessions[id]
	if !ok {
		return nil
	}
	if s.expiredLocked(ss) {
		delete(s.sessions, id)
		return nil
	}
	return ss
}
