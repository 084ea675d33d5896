package backupapi

// answerShape documents an answer shape: what the answer holds (its
// envelope key) and what an answer without that key is. Every answer
// type declares its shape; each method's doc repeats it in its "Answer:"
// line, beside "Wire:" (a test holds the docs to the shapes), so that a
// stub written for a test (httpmock, a fake server) has the right key.
type answerShape struct {
	// holds is what the answer carries, as JSON: `{"Status":"OK","User":[...]}`.
	holds string
	// without says what an answer without the key is: an empty value
	// (missingFails false), or ErrUnexpectedResponse (missingFails true).
	without      string
	missingFails bool
	// bare is an answer without the key, for the test that checks
	// missingFails.
	bare string
}

// doc is the method doc's "Answer:" line.
func (s answerShape) doc() string {
	if s.without == "" {
		return "Answer: " + s.holds
	}
	return "Answer: " + s.holds + "; " + s.without
}

// Ahsay answers without their key: the envelope alone.
const ahsayBare = `{"Status":"OK"}`

// ahsayList is the shape of an AhsayCBS list under key, empty without it.
func ahsayList(key, none string) answerShape {
	return answerShape{holds: `{"Status":"OK","` + key + `":[...]}`, without: "without " + key + ", " + none, bare: ahsayBare}
}

// ahsayObject is the shape of an AhsayCBS answer that must hold one
// object under key.
func ahsayObject(key, also string) answerShape {
	return answerShape{holds: `{"Status":"OK","` + key + `":{...}}` + also, without: "without " + key + ", ErrUnexpectedResponse",
		missingFails: true, bare: ahsayBare}
}
