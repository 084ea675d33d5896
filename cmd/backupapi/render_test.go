package main

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestControlCharactersAreShownNotRun(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain text and non-ASCII letters pass", "Zürich café", "Zürich café"},
		{"a newline and a tab cannot forge a row or a column", "eve\nroot\tadmin", `eve\nroot\tadmin`},
		{"a carriage return cannot overwrite the line", "ok\rFAIL", `ok\rFAIL`},
		{"an OSC sequence (window title) is shown", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"a CSI sequence (colour) is shown", "\x1b[31mred", `\x1b[31mred`},
		{"the 8-bit CSI of C1 is shown", "\u009b31m", `\x9b31m`},
		{"DEL is shown", "a\x7fb", `a\x7fb`},
		{"a byte that is not UTF-8 is shown", "a\xffb", `a\xffb`},
		{"a bidirectional override is shown", "abc\u202etxt.exe", `abc\u202etxt.exe`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, escapeControls(tc.in))
		})
	}
}

func TestCSVCellsNeverStartAFormula(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		want string
	}{
		{"an equals sign", "=HYPERLINK(\"http://x\",\"y\")", `'=HYPERLINK("http://x","y")`},
		{"a plus", "+1+2", "'+1+2"},
		{"a minus", "-2+3", "'-2+3"},
		{"an at sign", "@SUM(A1)", "'@SUM(A1)"},
		{"a leading tab is escaped, so no longer a tab", "\t=1", `\t=1`},
		{"a leading carriage return is escaped too", "\r=1", `\r=1`},
		{"plain text is left alone", "alice", "alice"},
		{"a number is a number", int64(-5), "-5"},
		{"a size is a plain byte count", backupapi.Bytes(5 << 20), "5242880"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, csvValue(tc.in))
		})
	}
}

func TestCellsAreFormattedByType(t *testing.T) {
	when := time.Date(2026, 11, 23, 1, 2, 3, 0, time.UTC)
	var unread backupapi.Timestamp
	require.NoError(t, json.Unmarshal([]byte(`"=next Tuesday\u001b"`), &unread))
	for _, tc := range []struct {
		name       string
		in         any
		table, csv string
	}{
		{"a Timestamp shows its zone in a table, RFC 3339 in CSV", backupapi.Timestamp{Time: when}, "2026-11-23 01:02:03 UTC", "2026-11-23T01:02:03Z"},
		{"a time.Time likewise", when, "2026-11-23 01:02:03 UTC", "2026-11-23T01:02:03Z"},
		{"never is empty", backupapi.Timestamp{}, "", ""},
		{"a time in no known format is its text, escaped and guarded", unread, `=next Tuesday\x1b`, `'=next Tuesday\x1b`},
		{"a size reads in a table, counts bytes in CSV", backupapi.Bytes(5 << 20), "5 MiB", "5242880"},
		{"gigabytes are bytes in CSV", backupapi.GB(2), "2 GiB", "2147483648"},
		{"a secret is masked", backupapi.Secret("Tr0ub4dor"), "***", "***"},
		{"a pointer to a secret is masked", backupapi.Ptr(backupapi.Secret("Tr0ub4dor")), "***", "***"},
		{"a struct holding a secret is masked by fmt", struct{ P backupapi.Secret }{"Tr0ub4dor"}, "{***}", "{***}"},
		{"a boolean", backupapi.Bool(true), "yes", "true"},
		{"a list", []string{"a", "b"}, "a b", "a b"},
		{"a percentage", 97.5, "97.5", "97.5"},
		{"NaN is empty", math.NaN(), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.table, tableCell(tc.in))
			assert.Equal(t, tc.csv, csvValue(tc.in))
		})
	}
}

// inner and outer exercise every place a Secret can hide in a record.
type inner struct {
	Token backupapi.Secret `json:"Token"`
	Note  string           `json:"Note"`
}

type Embedded struct {
	Key backupapi.Secret
}

type outer struct {
	Embedded
	Name     string                      `json:"Name"`
	Password string                      `json:"Password"` // a string: not a secret by type
	Pwd      backupapi.Secret            `json:"Pwd"`
	Ptr      *backupapi.Secret           `json:"Ptr"`
	List     []backupapi.Secret          `json:"List"`
	Map      map[string]backupapi.Secret `json:"Map"`
	Nested   *inner                      `json:"Nested"`
	Nesteds  []inner                     `json:"Nesteds"`
	Any      any                         `json:"Any"`
	Raw      json.RawMessage             `json:"Raw"`
	Empty    backupapi.Secret            `json:"Empty"`
	Omitted  string                      `json:"Omitted,omitempty"`
	Hidden   backupapi.Secret            `json:"-"`
}

func TestJSONMasksEverySecretByType(t *testing.T) {
	v := outer{Embedded: Embedded{Key: "s-key"}, Name: "alice", Password: "not-a-secret-type", Pwd: "s-pwd",
		Ptr: backupapi.Ptr(backupapi.Secret("s-ptr")), List: []backupapi.Secret{"s-list"}, Map: map[string]backupapi.Secret{"k": "s-map"},
		Nested: &inner{Token: "s-nested", Note: "n"}, Nesteds: []inner{{Token: "s-nesteds"}}, Any: inner{Token: "s-any"},
		Raw: json.RawMessage(`{"Password":"s-raw","Other":"kept"}`), Hidden: "s-hidden"}
	var b bytes.Buffer
	require.NoError(t, writeJSON(&b, v, false))
	out := b.String()
	for _, leak := range []string{"s-key", "s-pwd", "s-ptr", "s-list", "s-map", "s-nested", "s-nesteds", "s-any", "s-raw", "s-hidden"} {
		assert.NotContains(t, out, leak)
	}
	var got map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &got))
	assert.Equal(t, "***", got["Key"], "promoted from an embedded struct")
	assert.Equal(t, "***", got["Pwd"])
	assert.Equal(t, "***", got["Ptr"])
	assert.Equal(t, []any{"***"}, got["List"])
	assert.Equal(t, map[string]any{"k": "***"}, got["Map"])
	assert.Equal(t, map[string]any{"Token": "***", "Note": "n"}, got["Nested"])
	assert.Equal(t, map[string]any{"Password": "***", "Other": "kept"}, got["Raw"], "raw JSON has no types: its secret-named keys are masked")
	assert.Equal(t, "", got["Empty"], "an empty secret says it is empty")
	assert.Equal(t, "not-a-secret-type", got["Password"], "masking is by type, not by field name")
	assert.NotContains(t, got, "Omitted")
}

func TestJSONNormalisesTimesAndSizes(t *testing.T) {
	when := time.Date(2026, 11, 23, 1, 2, 3, 0, time.UTC)
	v := struct {
		At      backupapi.Timestamp
		Never   backupapi.Timestamp
		Std     time.Time
		StdZero time.Time
		Size    backupapi.Bytes
		Quota   backupapi.GB
		Pct     float64
		Count   backupapi.Int64
		Unread  backupapi.Timestamp
	}{At: backupapi.Timestamp{Time: when}, Std: when, Size: 5 << 20, Quota: 2, Pct: math.Inf(1), Count: 7}
	require.NoError(t, json.Unmarshal([]byte(`"next Tuesday"`), &v.Unread))
	var b bytes.Buffer
	require.NoError(t, writeJSON(&b, v, false))
	assert.JSONEq(t, `{"At":"2026-11-23T01:02:03Z","Never":null,"Std":"2026-11-23T01:02:03Z","StdZero":null,
		"Size":5242880,"Quota":2147483648,"Pct":null,"Count":7,"Unread":"next Tuesday"}`, b.String())
}

// plainRecord has none of the types the walk changes: its JSON must be
// encoding/json's, byte for byte.
type plainRecord struct {
	ID string `json:"Id"`
	plainEmbedded
	*PtrEmbedded
	Tagged     plainEmbedded `json:"tagged"`
	Dup        string
	Opt        string `json:"opt,omitempty"`
	Num        int    `json:"num,string"`
	Flag       bool   `json:"flag,omitempty"`
	List       []int  `json:"list"`
	NilList    []int  `json:"nil_list"`
	Bytes      []byte `json:"bytes"`
	unexported string
	Float      float64 `json:"float"`
	Count      backupapi.Int64
}

type plainEmbedded struct {
	Dup   string
	Inner string `json:"inner"`
}

type PtrEmbedded struct{ Deep string }

func TestJSONFieldsFollowEncodingJSON(t *testing.T) {
	for _, v := range []plainRecord{
		{ID: "1", unexported: "not encoded", plainEmbedded: plainEmbedded{Dup: "deep", Inner: "i"}, Dup: "shallow", Num: 42, List: []int{1}, Bytes: []byte("hi"), Float: 1.5, Count: 3},
		{PtrEmbedded: &PtrEmbedded{Deep: "d"}, Opt: "set", Flag: true},
	} {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, err := json.Marshal(jsonValue(v))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
}

func TestJSONOutputEscapesC1AndDEL(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, writeJSON(&b, map[string]string{"k": "a\u009b31m\x7f\u202e\x1b"}, false))
	assert.Equal(t, `{"k":"a\u009b31m\u007f\u202e\u001b"}`+"\n", b.String())
	assert.False(t, needsEscape(string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))))
}

func TestRawAnswersMaskSecretNamedKeys(t *testing.T) {
	for _, tc := range []struct{ name, raw string }{
		{"a JSON answer", `{"Data":{"AccessToken":"tok-123","Nested":[{"Password":"hash-456"}],"Name":"al\u001bice"}}`},
		{"an answer cut short", `{"Data":{"Password":"hash-456","Name":"alice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []string{"table", "json", "csv"} {
				var b bytes.Buffer
				require.NoError(t, rawAnswer(tc.raw).render(&renderer{format: format, out: &b}))
				assert.NotContains(t, b.String(), "tok-123")
				assert.NotContains(t, b.String(), "hash-456")
				assert.Contains(t, b.String(), "***")
				assert.False(t, needsEscape(strings.ReplaceAll(b.String(), "\n", "")), "%q", b.String())
			}
		})
	}
}
