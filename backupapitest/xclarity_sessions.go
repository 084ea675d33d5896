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
	if _, ok := s.sessions[id]; !ok {
		a.status = http.StatusNotFound
		a.json(failed("FQXHMSE0404J", "The session was not found.")) // the ID is a credential: not echoed
		return
	}
	delete(s.sessions, id)
	a.json(map[string]any{"result": "success", "messages": []any{map[string]any{"id": "FQXHMSE0001I", "text": "The request completed successfully."}}})
}
