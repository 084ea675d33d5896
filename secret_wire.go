package backupapi

import "encoding/json"

// wireEncoder is a request that carries a Secret. Secret's MarshalJSON
// writes the mask, so such a request has a wire form of its own that
// sends the value; requestJSON uses it.
type wireEncoder interface{ wireJSON() ([]byte, error) }

// requestJSON encodes a request body as it goes on the wire: a
// wireEncoder's own form, else what json.Marshal makes of it.
func requestJSON(in any) ([]byte, error) {
	if w, ok := in.(wireEncoder); ok {
		return w.wireJSON()
	}
	return json.Marshal(in)
}

func (r *AddUserRequest) wireJSON() ([]byte, error) {
	type plain AddUserRequest
	return json.Marshal(struct {
		*plain
		Password string `json:"Password,omitempty"`
	}{(*plain)(r), string(r.Password)})
}

func (r *UpdateUserRequest) wireJSON() ([]byte, error) {
	type plain UpdateUserRequest
	return json.Marshal(struct {
		*plain
		Password *string `json:"Password,omitempty"`
	}{(*plain)(r), (*string)(r.Password)})
}

func (r *AuthUserRequest) wireJSON() ([]byte, error) {
	type plain AuthUserRequest
	return json.Marshal(struct {
		*plain
		Password string `json:"Password"`
	}{(*plain)(r), string(r.Password)})
}
