package redact

import (
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
