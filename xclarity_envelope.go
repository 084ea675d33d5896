package backupapi

import (
	"bytes"
	"encoding/json"
)

// xcEnvelope is XClarity's status-message envelope in all the shapes its
// documentation shows: messages or message, an object or an array, at the
// top level or under status.
type xcEnvelope struct {
	Result   string       `json:"result"`
	Messages messageList  `json:"messages"`
	Message  messageList  `json:"message"`
	JobID    flexString   `json:"jobId"`
	JobUID   flexString   `json:"jobUID"` // another spelling of the job ID
	Status   nestedStatus `json:"status"`
}

// nestedStatus is the envelope nested under "status"; any other value
// there (a string, a number) is ignored rather than failing the decoding.
type nestedStatus struct {
	present  bool
	Result   string      `json:"result"`
	Messages messageList `json:"messages"`
	Message  messageList `json:"message"`
}

// UnmarshalJSON decodes an object and ignores anything else.
func (n *nestedStatus) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	type plain nestedStatus
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*n = nestedStatus(p)
	n.present = true
	return nil
}

// result returns the result and the messages wherever they were.
func (e *xcEnvelope) result() (string, []Message) {
	result := e.Result
	msgs := append(append([]Message(nil), e.Messages...), e.Message...)
	if e.Status.present {
		if result == "" {
			result = e.Status.Result
		}
		msgs = append(msgs, e.Status.Messages...)
		msgs = append(msgs, e.Status.Message...)
	}
	return result, msgs
}

// messageList decodes one message object, an array of them, a plain
// string, or null.
type messageList []Message

func (m *messageList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*m = nil
	case b[0] == '[':
		var many []Message
		if err := json.Unmarshal(b, &many); err != nil {
			return err
		}
		*m = many
	case b[0] == '"':
		var text string
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		*m = []Message{{Text: text}}
	default:
		var one Message
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*m = []Message{one}
	}
	return nil
}

// UnmarshalJSON accepts recovery as one object or an array, and URL or url
// (field names match case-insensitively).
func (m *Message) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID          flexString          `json:"id"`
		Text        string              `json:"text"`
		Explanation string              `json:"explanation"`
		Recovery    oneOrMany[Recovery] `json:"recovery"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*m = Message{ID: string(raw.ID), Text: raw.Text, Explanation: raw.Explanation, Recovery: raw.Recovery}
	return nil
}
