package backupapi

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceEvents parses the reference's tables: ID -> description, detail
// (HTML stripped, white space folded).
func referenceEvents(t *testing.T) map[int][2]string {
	t.Helper()
	b, err := os.ReadFile("testdata/reference/connected-backup-management-api-events.txt")
	require.NoError(t, err)
	out := map[int][2]string{}
	for _, m := range regexp.MustCompile(`(?m)^(\d{4,5})\t([^\t]*)\t(.*)$`).FindAllStringSubmatch(string(b), -1) {
		id, _ := strconv.Atoi(m[1])
		out[id] = [2]string{m[2], foldText(m[3])}
	}
	return out
}

var tags = regexp.MustCompile(`<[^>]+>`)

func foldText(s string) string {
	s = tags.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, "•", " ")
	return strings.Join(strings.Fields(s), " ")
}

// wantSentinel is the table, written out independently of errors_table.go.
var wantSentinel = map[int]error{
	1000: ErrAuthentication, 1012: ErrAuthentication, 11707: ErrAuthentication,
	1009: ErrPermissionDenied, 1016: ErrPermissionDenied, 11713: ErrPermissionDenied,
	1005: ErrInvalidRequest, 1006: ErrInvalidRequest, 1007: ErrInvalidRequest, 1010: ErrInvalidRequest, 1015: ErrInvalidRequest, 1017: ErrInvalidRequest,
	1008: ErrNotFound, 11714: ErrNotFound, 11722: ErrNotFound,
	11915: ErrUnavailable, 11916: ErrUnavailable, 1004: ErrUnavailable, 11904: ErrUnavailable, 11711: ErrUnavailable, 11919: ErrUnavailable, 1014: ErrUnavailable,
	1011: ErrInconsistentData, 1013: ErrInconsistentData,
	1003: ErrServer, 11913: ErrServer, 11918: ErrServer,
	11901: nil, 11914: nil, 11917: nil,
}

var wantSeverity = map[Severity][]int{
	SeverityInformation: {11901, 11914, 11917, 11707},
	SeverityWarning:     {11915, 11916, 11918, 11713},
	SeverityError:       {11904, 11913, 11919, 11711, 11714, 11722},
	SeverityLog:         {1000, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017},
}

func sampleArgs(desc string) []any {
	var args []any
	for i := 0; strings.Contains(desc, "{"+strconv.Itoa(i)+"}"); i++ {
		args = append(args, fmt.Sprintf("arg%d-x", i))
	}
	return args
}

func isSortedByID(es []Event) bool {
	for i := 1; i < len(es); i++ {
		if es[i-1].ID >= es[i].ID {
			return false
		}
	}
	return true
}

func mustEvent(t *testing.T, id int) Event {
	e, ok := LookupEvent(id)
	require.True(t, ok)
	return e
}

func TestMatchEvent(t *testing.T) {
	cases := []struct {
		text string
		id   int
		args []string
	}{
		{"No Available Capacity. Session 42 could not be served.", 11915, []string{"42"}},
		{"No Available Capacity.", 11916, nil},
		{"  Permission denied \r\n", 1009, nil},
		{"LDAP server unreachable: ldap://dc1:389", 11711, []string{"ldap://dc1:389"}},
		{"Assigned outflow service = dt1 for session 7.", 11914, []string{"dt1", "7"}},
		// Both 11914 and 11917 match; 11917 has the longer literal text.
		{"Assigned outflow service = a with service url b for session c.", 11917, []string{"a", "b for session c"}},
		{"Something else entirely", 0, nil},
		{"No Available Capacity. Session  could not be served.", 0, nil}, // an empty argument is no match
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			e, args, ok := MatchEvent(tc.text)
			if tc.id == 0 {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			assert.Equal(t, tc.id, e.ID)
			assert.Equal(t, tc.args, args)
		})
	}
}

func TestEventFormat(t *testing.T) {
	e := mustEvent(t, 11914)
	assert.Equal(t, "Assigned outflow service = dt1 for session 42.", e.Format("dt1", 42))
	assert.Equal(t, "Assigned outflow service = dt1 for session {1}.", e.Format("dt1"), "a missing argument leaves its placeholder")
	assert.Equal(t, "Permission denied", mustEvent(t, 1009).Format("ignored"))
	_, ok := LookupEvent(4242)
	assert.False(t, ok)
}

func TestEventErrString(t *testing.T) {
	assert.Equal(t, "connected backup 1009: Permission denied", mustEvent(t, 1009).Err().Error())
	assert.Equal(t, "connected backup 11915: No Available Capacity. Session 3 could not be served.", mustEvent(t, 11915).Err(3).Error())
}

func BenchmarkMatchEvent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := MatchEvent("No Available Capacity. Session 42 could not be served."); !ok {
			b.Fatal("no match")
		}
	}
}
