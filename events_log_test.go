package backupapi

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type readResult struct {
	recs []LogRecord
	errs []error
}

func readAll(t testing.TB, r io.Reader) readResult {
	var out readResult
	for rec, err := range ReadEventLog(r) {
		if err != nil {
			out.errs = append(out.errs, err)
			continue
		}
		out.recs = append(out.recs, rec)
	}
	return out
}

func TestReadEventLogCSV(t *testing.T) {
	f, err := os.Open("testdata/eventlog/dcmaint.csv")
	require.NoError(t, err)
	defer f.Close()
	got := readAll(t, f)

	require.Len(t, got.errs, 1, "the broken record is reported")
	assert.Contains(t, got.errs[0].Error(), "line 8")
	assert.Contains(t, got.errs[0].Error(), "not a date")

	require.Len(t, got.recs, 6, "every other record is read, after the broken one too")
	first := got.recs[0]
	assert.Equal(t, "Information", first.Level)
	assert.Equal(t, time.Date(2026, 11, 23, 21, 51, 40, 0, time.UTC), first.Time)
	assert.Equal(t, "DCMaint", first.Source)
	assert.Equal(t, 11901, first.EventID)
	assert.Equal(t, "None", first.TaskCategory)
	require.NotNil(t, first.Event)
	assert.Equal(t, SeverityInformation, first.Event.Severity)
	assert.Equal(t, 2, first.Line)

	capacity := got.recs[1]
	assert.Equal(t, 11915, capacity.Event.ID)
	assert.Equal(t, []string{"42"}, capacity.Args)

	multi := got.recs[2]
	assert.Equal(t, 11904, multi.EventID)
	assert.Equal(t, 4, multi.Line)
	assert.Contains(t, multi.Message, "\nStack: at Outflow.Query()", "a message may span lines")
	require.Len(t, multi.Args, 1)
	assert.True(t, strings.HasPrefix(multi.Args[0], "17\n"), "the template ends with {0}, which takes the rest")

	comma := got.recs[3]
	assert.Equal(t, "OutflowExecuteQuery failed. Description timeout, retry later.", comma.Message)
	assert.Equal(t, []string{"timeout, retry later"}, comma.Args)

	unknown := got.recs[4]
	assert.Equal(t, 4242, unknown.EventID)
	assert.Nil(t, unknown.Event, "an unknown ID has no catalog event")
	assert.Equal(t, `An event no catalog knows, with "quotes"`, unknown.Message)

	assert.Equal(t, 1009, got.recs[5].EventID)
	assert.ErrorIs(t, got.recs[5].Event.Err(), ErrPermissionDenied)
}

func TestReadEventLogXML(t *testing.T) {
	f, err := os.Open("testdata/eventlog/dcmaint.xml")
	require.NoError(t, err)
	defer f.Close()
	got := readAll(t, f)

	require.Len(t, got.errs, 1)
	assert.Contains(t, got.errs[0].Error(), "offset")
	assert.Contains(t, got.errs[0].Error(), `"eleven"`)

	require.Len(t, got.recs, 3)
	r := got.recs[0]
	assert.Equal(t, 11915, r.EventID)
	assert.Equal(t, "Warning", r.Level)
	assert.Equal(t, "DCMaint", r.Source)
	assert.Equal(t, time.Date(2026, 11, 23, 21, 52, 1, 123456700, time.UTC), r.Time)
	assert.Equal(t, []string{"42"}, r.Args)
	assert.Greater(t, r.Offset, int64(0))

	noRendering := got.recs[1]
	assert.Equal(t, "Error", noRendering.Level, "numeric level 2")
	assert.Equal(t, "No configuration found with ID: cfg-9.", noRendering.Message, "formatted from EventData when not rendered")
	assert.Equal(t, []string{"cfg-9"}, noRendering.Args)
	assert.ErrorIs(t, noRendering.Event.Err(noRendering.Args[0]), ErrNotFound)

	unknown := got.recs[2]
	assert.Nil(t, unknown.Event)
	assert.Equal(t, "Line one\nline two, with a comma", unknown.Message)
}

func TestReadEventLogEdgeCases(t *testing.T) {
	cases := []struct {
		name       string
		in         string
		recs, errs int
	}{
		{"an empty input yields nothing", "", 0, 0},
		{"white space only yields nothing", " \r\n\t", 0, 0},
		{"a byte-order mark before the CSV header", "\ufeffLevel,Date and Time,Source,Event ID,Task Category\r\nError,1/2/2026 3:04:05 PM,DCMaint,1009,None,Permission denied\r\n", 1, 0},
		{"CSV without a header", "Error,1/2/2026 3:04:05 PM,DCMaint,1009,None,Permission denied\n", 1, 0},
		{"too few fields", "Level,Date and Time,Source,Event ID,Task Category\nError,1/2/2026\nError,1/2/2026 3:04:05 PM,DCMaint,1009,None,x\n", 1, 1},
		{"a bare quote is reported and reading goes on", "Error,1/2/2026 3:04:05 PM,DC\"Maint,1009,None,x\nError,1/2/2026 3:04:05 PM,DCMaint,1009,None,x\n", 1, 1},
		{"blank lines between records are no records", "Error,1/2/2026 3:04:05 PM,DCMaint,1009,None,x\n\r\n\nError,1/2/2026 3:04:05 PM,DCMaint,1009,None,y\n", 2, 0},
		{"a quote that never closes costs only its own record",
			"Error,1/2/2026 3:04:05 PM,DCMaint,1009,None,\"Permission denied\nError,1/2/2026 3:04:06 PM,DCMaint,1009,None,x\nError,1/2/2026 3:04:07 PM,DCMaint,1009,None,\"multi\nline, \"\"quoted\"\"\"\n", 2, 1},
		{"a quote still open at the end is reported", "Error,1/2/2026 3:04:05 PM,DCMaint,1009,None,x\nError,1/2/2026 3:04:05 PM,DCMaint,1009,None,\"never closed\n", 1, 1},
		{"broken XML stops after one error", "<Events><Event><System><EventID>1009</EventID></System></Event><Event><System>", 1, 1},
		{"XML that is not an event export", "<html><body>hi</body></html>", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := readAll(t, strings.NewReader(tc.in))
			assert.Len(t, got.recs, tc.recs)
			assert.Len(t, got.errs, tc.errs, "errors: %v", got.errs)
		})
	}
}

func TestReadEventLogStopsWhenTheConsumerDoes(t *testing.T) {
	n := 0
	src := generatedCSV(1000)
	defer src.Close() // the reader never closes what it reads
	for range ReadEventLog(src) {
		n++
		if n == 10 {
			break
		}
	}
	assert.Equal(t, 10, n)
}

// generatedCSV produces an Event Viewer CSV export of n records on the fly.
func generatedCSV(n int) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		var b bytes.Buffer
		b.WriteString("Level,Date and Time,Source,Event ID,Task Category\r\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "Warning,11/23/2026 9:52:01 PM,DCMaint,11915,None,\"No Available Capacity. Session %d could not be served.\"\r\n", i)
			if b.Len() > 32<<10 {
				if _, err := pw.Write(b.Bytes()); err != nil {
					return
				}
				b.Reset()
			}
		}
		_, _ = pw.Write(b.Bytes())
		_ = pw.Close()
	}()
	return pr
}

// BenchmarkReadEventLog1M reads a million records and reports the heap in
// use afterwards, which stays flat: the reader streams.
func BenchmarkReadEventLog1M(b *testing.B) {
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		n := 0
		for _, err := range ReadEventLog(generatedCSV(1_000_000)) {
			if err != nil {
				b.Fatal(err)
			}
			n++
			if n%100_000 == 0 {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		if n != 1_000_000 {
			b.Fatalf("read %d records", n)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

func FuzzReadEventLog(f *testing.F) {
	for _, name := range []string{"testdata/eventlog/dcmaint.csv", "testdata/eventlog/dcmaint.xml"} {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte("<Events><Event>"))
	f.Add([]byte("\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for rec, err := range ReadEventLog(bytes.NewReader(data)) {
			if err == nil && rec.Event != nil && rec.Event.ID != rec.EventID {
				t.Fatalf("record %d carries event %d", rec.EventID, rec.Event.ID)
			}
		}
	})
}

func FuzzMatchEvent(f *testing.F) {
	for _, e := range Events() {
		f.Add(e.Format("x", "y"))
	}
	f.Fuzz(func(t *testing.T, text string) {
		e, args, ok := MatchEvent(text)
		if !ok {
			return
		}
		// What matched must format back to the (trimmed) text.
		anyArgs := make([]any, len(args))
		for i, a := range args {
			anyArgs[i] = a
		}
		if got := e.Format(anyArgs...); got != strings.TrimSpace(text) {
			t.Fatalf("MatchEvent(%q) = %d %q, which formats to %q", text, e.ID, args, got)
		}
	})
}

func FuzzEventFormat(f *testing.F) {
	f.Add(11914, "a", "b")
	f.Add(1009, "{0}", "{1}")
	f.Fuzz(func(t *testing.T, id int, a, b string) {
		e, ok := LookupEvent(id)
		if !ok {
			e = Event{ID: id, Description: a}
		}
		_ = e.Format(a, b)
		_ = e.Err(a, b).Error()
	})
}

func TestAStrayQuoteDoesNotSwallowTheRestOfACSVLog(t *testing.T) {
	var b strings.Builder
	b.WriteString("Level,Date and Time,Source,Event ID,Task Category\r\n")
	b.WriteString("Error,1/2/2026 3:04:05 PM,DCMaint,1009,None,\"Permission denied for \"bob\r\n") // odd quotes
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "Information,1/2/2026 3:04:05 PM,DCMaint,11901,None,record %d\r\n", i)
	}
	got := readAll(t, strings.NewReader(b.String()))
	require.Len(t, got.errs, 1)
	assert.Contains(t, got.errs[0].Error(), "line 2")
	assert.Len(t, got.recs, 5000, "every record after the broken one is read")
	assert.Equal(t, 3, got.recs[0].Line)
}

func TestACSVRecordWithoutEndIsBoundedInMemory(t *testing.T) {
	// A quoted field that opens and never closes, with no line that looks
	// like a record after it: 8 MiB of message lines.
	var b strings.Builder
	b.WriteString("Error,1/2/2026 3:04:05 PM,DCMaint,1009,None,\"")
	line := strings.Repeat("m", 1000) + "\n"
	for b.Len() < 8<<20 {
		b.WriteString(line)
	}
	b.WriteString("Error,1/2/2026 3:04:05 PM,DCMaint,1009,None,after\n")
	input := b.String()
	var errs, recs int
	var peak uint64
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc // the 8 MiB input included
	for _, err := range ReadEventLog(strings.NewReader(input)) {
		// What the reader holds now, at each record, is what it keeps.
		runtime.GC()
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
		if err != nil {
			errs++
			continue
		}
		recs++
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 1, recs, "the record after the runaway one is read")
	held := int64(peak) - int64(base)
	assert.Less(t, held, int64(4*maxLogRecord), "held %d bytes while reading an 8 MiB record", held)
}
