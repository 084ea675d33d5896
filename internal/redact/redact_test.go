package redact

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExcerpt(t *testing.T) {
	cases := []struct {
		name, in string
		secrets  []string
		max      int
		want     string
	}{
		{"masks SysPwd", `{"SysUser":"system","SysPwd":"pw1234"}`, nil, 200, `{"SysUser":"system","SysPwd":"***"}`},
		{"masks a value cut short", `{"SysPwd":"pw12`, nil, 200, `{"SysPwd":"***"`},
		{"masks keys case-insensitively", `{"password" : "abc", "AccessToken":"t"}`, nil, 200, `{"password" : "***", "AccessToken":"***"}`},
		{"masks a literal secret anywhere", `<p>login failed for hunter22</p>`, []string{"hunter22"}, 200, `<p>login failed for ***</p>`},
		{"folds white space", "a\n\n  b\tc", nil, 200, "a b c"},
		{"cuts at max on a rune boundary", strings.Repeat("é", 10), nil, 5, "éé…"},
		{"masks a number password", `{"Password":12345}`, nil, 200, `{"Password":"***"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Excerpt([]byte(tc.in), tc.max, tc.secrets...))
		})
	}
}

func TestTextMasksWhatAProxyPageShows(t *testing.T) {
	cases := []struct {
		name, in string
		secrets  []string
		leaks    []string
	}{
		{"HTML-escaped JSON password", `<pre>{&quot;SysUser&quot;:&quot;system&quot;,&quot;Password&quot;:&quot;hunter2-x&quot;}</pre>`, nil, []string{"hunter2-x"}},
		{"HTML-escaped with numeric entities", `{&#34;SysPwd&#34;:&#34;pw-9876&#34;}`, nil, []string{"pw-9876"}},
		{"echoed Cookie header", "<p>Cookie: JSESSIONID=abc123def; csrf=tok456</p>", nil, []string{"abc123def", "tok456"}},
		{"echoed CSRF header", "X-Csrf-Token: 0f1e2d3c4b\r\nHost: lxca", nil, []string{"0f1e2d3c4b"}},
		{"echoed Basic credential", "Authorization: Basic QURNSU46UGFzc3cwcmQ=\nAccept: */*", nil, []string{"QURNSU46UGFzc3cwcmQ="}},
		{"session cookie quoted in text", `set JSESSIONID=zzz999; Path=/`, nil, []string{"zzz999"}},
		{"a literal secret HTML-escaped", `<p>bad password a&amp;b&lt;c</p>`, []string{"a&b<c"}, []string{"a&amp;b&lt;c"}},
		{"a literal secret JSON-escaped", `{"Message":"pw \"q\\uote\" refused"}`, []string{`"q\uote"`}, []string{`\"q\\uote\"`}},
		{"a literal secret URL-encoded", `GET /x?p=a+b%26c`, []string{"a b&c"}, []string{"a+b%26c"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in, tc.secrets...)
			for _, leak := range tc.leaks {
				assert.NotContains(t, got, leak)
			}
			assert.Contains(t, got, Mask)
		})
	}
}

func TestJSONSecretsFindsEverySecretKey(t *testing.T) {
	got := JSONSecrets([]byte(`{"SysUser":"system","SysPwd":"s1","LoginName":"alice","Password":"p2",
		"nested":{"passphrase":"p3","list":[{"Token":"t4"}]},"password":12345,"Notes":"not secret"}`))
	assert.ElementsMatch(t, []string{"s1", "p2", "p3", "t4", "12345"}, got)
	assert.Nil(t, JSONSecrets([]byte("not json")))
}

func TestLiteralsMasksOverlappingSecretsWhole(t *testing.T) {
	cases := []struct {
		name, in string
		secrets  []string
		want     string
	}{
		{"a password that starts with the system password", `pw system1-Summer2026 refused`, []string{"system1", "system1-Summer2026"}, `pw *** refused`},
		{"the same, secrets given the other way round", `pw system1-Summer2026 refused`, []string{"system1-Summer2026", "system1"}, `pw *** refused`},
		{"a secret inside another", `x Summer-system1-2026 y`, []string{"system1", "Summer-system1-2026"}, `x *** y`},
		{"two secrets that overlap without containing each other", `x abc-system1-Summer2026 y`, []string{"abc-system1", "system1-Summer2026"}, `x *** y`},
		{"separate occurrences each masked", `a system1 b system1 c`, []string{"system1"}, `a *** b *** c`},
		{"a short secret only where quoted", `{"p":"ab"} ab`, []string{"ab"}, `{"p":"***"} ab`},
		{"no secret: unchanged", `nothing here`, []string{"system1"}, `nothing here`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Literals(tc.in, tc.secrets...))
		})
	}
}

// TestLiteralsMasksEveryOccurrenceInOnePass: the one-pass search finds
// every occurrence, overlapping ones and those after a false start, and
// masks each run of them as one.
func TestLiteralsMasksEveryOccurrenceInOnePass(t *testing.T) {
	cases := []struct {
		name, in string
		secrets  []string
		want     string
	}{
		{"overlapping occurrences are one run", "x ababa y", []string{"aba"}, "x *** y"},
		{"a periodic secret over a longer run", "aaaaaaa!", []string{"aaa"}, "***!"},
		{"a false start before a match", "aabaabaac", []string{"aabaac"}, "aab***"},
		{"separate occurrences stay separate", "pw1 and pw1", []string{"pw1"}, "*** and ***"},
		{"a secret longer than the text is not there", "pw", []string{"pw12345"}, "pw"},
		{"two secrets overlapping", "system1-Summer2026!", []string{"system1", "1-Summer2026"}, "***!"},
		{"a short secret only where quoted", `"ab" ab`, []string{"ab"}, `"***" ab`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Literals(tc.in, tc.secrets...))
		})
	}
}

// TestLiteralsMasksASecretAsOtherJSONEncodersEscapeIt: servers are not
// Go; Java's and PHP's encoders escape differently (no HTML escaping of
// < > &, a solidus as \/, non-ASCII as \uXXXX), and a path carries a
// space as %20, not +.
func TestLiteralsMasksASecretAsOtherJSONEncodersEscapeIt(t *testing.T) {
	cases := []struct {
		name, secret, echoed string
	}{
		{"a quote beside < > & (no HTML escaping)", `p"<x>&1`, `{"Message":"bad p\"<x>&1"}`},
		{"a solidus escaped as \\/", `a/b/c-9`, `{"Message":"bad a\/b\/c-9"}`},
		{"non-ASCII escaped as \\u", `pässwörd`, `{"Message":"bad p\u00e4ssw\u00f6rd"}`},
		{"non-ASCII escaped as upper-case \\u", `pässwörd`, `{"Message":"bad p\u00E4ssw\u00F6rd"}`},
		{"a space in a path", `a b c`, `GET /x/a%20b%20c`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Literals(tc.echoed, tc.secret)
			assert.Contains(t, got, Mask)
			assert.NotContains(t, got, "bad p\\", "%s", got)
			for _, part := range []string{"<x>", `\/b`, `\u00`, "%20"} {
				if strings.Contains(tc.echoed, part) {
					assert.NotContains(t, got, part, "%s", got)
				}
			}
		})
	}
}

// TestExcerptMasksASecretCutOffAtTheEnd: the excerpt is made from the
// first bytes of a body, which may end inside a secret; the part before
// the cut is masked too.
func TestExcerptMasksASecretCutOffAtTheEnd(t *testing.T) {
	cases := []struct{ name, in string }{
		{"cut inside the secret", "login failed for s3cret/Sy"},
		{"cut inside its URL-encoded form", "GET /x?pw=s3cret%2FS"},
		{"cut after three characters", "login failed for s3c"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Excerpt([]byte(tc.in), 160, "s3cret/Sys-Pwd")
			assert.NotContains(t, got, "s3c")
			assert.Contains(t, got, Mask)
		})
	}
	assert.Equal(t, "login failed for s", Excerpt([]byte("login failed for s"), 160, "s3cret/Sys-Pwd"), "a word that merely starts like a secret is kept when too short to say anything")
}

// TestExcerptMasksTheBeginningOfASecretLongerThanTheText: the cut-off
// check looks at only as much of a secret as the text could hold, in
// every form, and still masks its beginning at the end of the text.
func TestExcerptMasksTheBeginningOfASecretLongerThanTheText(t *testing.T) {
	long := "s3cret/Sys-Pwd" + strings.Repeat("é", 1000)
	b64 := base64.StdEncoding.EncodeToString([]byte(long))[:12]
	cases := []struct{ name, in, fragment string }{
		{"as sent", "login failed for s3cret/Sy", "s3c"},
		{"URL-encoded", "GET /x?pw=s3cret%2FSys", "s3c"},
		{"base64-encoded", "seen " + b64, b64[:4]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Excerpt([]byte(tc.in), 160, long)
			assert.Contains(t, got, Mask)
			assert.NotContains(t, got, tc.fragment)
		})
	}
}
