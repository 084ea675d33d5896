package backupapi

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// LogRecord is one record of a DCMaint log exported from Event Viewer.
type LogRecord struct {
	Time         time.Time // zero when the export has none
	Level        string    // "Information", "Warning", "Error", ...
	Source       string    // the provider, e.g. "DCMaint"
	EventID      int
	TaskCategory string
	Message      string
	Event        *Event   // the catalog event, nil when the ID is unknown
	Args         []string // the message's placeholder values, when it matches Event
	Line         int      // CSV: the line the record starts on (1-based)
	Offset       int64    // XML: the byte offset of the record's <Event>
}

// ReadEventLog reads the records of a DCMaint log exported from Event
// Viewer, as CSV ("Save All Events As" CSV: a header line "Level,Date and
// Time,Source,Event ID,Task Category", then records whose sixth field is the
// message, which may span lines) or XML (<Events><Event>...</Event></Events>),
// detected from the first bytes. It streams: a large export never sits in
// memory whole.
//
// A malformed record yields an error naming its line (CSV) or byte offset
// (XML) and reading goes on with the next record; an XML export whose
// structure is broken ends after that error, since no further record can be
// found reliably.
func ReadEventLog(r io.Reader) iter.Seq2[LogRecord, error] {
	return func(yield func(LogRecord, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		first, err := firstByte(br)
		if err != nil {
			if !errors.Is(err, io.EOF) {
				yield(LogRecord{}, fmt.Errorf("event log: %w", err))
			}
			return
		}
		if first == '<' {
			readXMLLog(br, yield)
			return
		}
		readCSVLog(br, yield)
	}
}

// firstByte skips a UTF-8 byte-order mark and white space and peeks at the
// first significant byte.
func firstByte(br *bufio.Reader) (byte, error) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		if b[0] != ' ' && b[0] != '\t' && b[0] != '\r' && b[0] != '\n' {
			return b[0], nil
		}
		_, _ = br.Discard(1)
	}
}

// catalogued fills Event and Args from the catalog.
func (rec *LogRecord) catalogued(data []string) {
	ev, ok := LookupEvent(rec.EventID)
	if !ok {
		return
	}
	rec.Event = &ev
	if args, ok := matchTemplate(templates[ev.ID], strings.TrimSpace(rec.Message)); ok {
		rec.Args = args
	} else if len(data) > 0 {
		rec.Args = data
	}
	if rec.Message == "" {
		rec.Message = ev.Format(stringsToAny(data)...)
	}
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// csvTimeLayouts are the date formats Event Viewer writes, by locale.
var csvTimeLayouts = []string{
	"1/2/2006 3:04:05 PM", "01/02/2006 03:04:05 PM", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00",
	"02/01/2006 15:04:05", "2.1.2006 15:04:05", "1/2/2006 15:04",
}

func parseLogTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range csvTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised date %q", s)
}

// maxLogRecord bounds one CSV record (a message may span lines): a quoted
// field that never closes cannot swallow the rest of the export.
const maxLogRecord = 1 << 20

// csvRecordStart recognises the first line of an Event Viewer CSV record:
// a level word, a date, a source and a numeric event ID.
var csvRecordStart = regexp.MustCompile(`^\x{FEFF}?\p{L}[\p{L} ]*,[^,"]*\d[^,"]*,[^,"]*,\s*\d+\s*,`)

// readCSVLog assembles records from physical lines (a quoted message may
// span lines) and parses each on its own. A quoted field still open when
// the next record's first line arrives, or a record past maxLogRecord, is
// reported with the line it started on, and reading goes on with the next
// record: memory stays bounded whatever the input.
func readCSVLog(br *bufio.Reader, yield func(LogRecord, error) bool) {
	var rec []byte
	recLine, lineNo, quotes := 0, 0, 0
	header, skipping := true, false
	emit := func() bool {
		defer func() { rec, quotes = rec[:0], 0 }()
		fields, err := parseCSVRecord(rec)
		if err != nil {
			return yield(LogRecord{Line: recLine}, fmt.Errorf("event log line %d: %w", recLine, err))
		}
		if header {
			header = false
			if len(fields) > 0 && strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(fields[0], "\ufeff")), "Level") {
				return true
			}
		}
		out, err := csvRecord(fields, recLine)
		return yield(out, err)
	}
	for {
		line, err := readLogLine(br, maxLogRecord)
		if len(line) > 0 || errors.Is(err, errLongLine) {
			lineNo++
			starts := csvRecordStart.Match(line[:min(len(line), 256)]) // a record's start shows in its first bytes
			if (skipping && !starts) || (len(rec) == 0 && len(bytes.TrimSpace(line)) == 0) {
				continue // inside a skipped record, or a blank line between records
			}
			skipping = false
			if quotes%2 == 1 && starts {
				if !yield(LogRecord{Line: recLine}, fmt.Errorf("event log line %d: a quoted field is still open at line %d, where the next record starts", recLine, lineNo)) {
					return
				}
				rec, quotes = rec[:0], 0
			}
			if len(rec) == 0 {
				recLine = lineNo
			}
			if errors.Is(err, errLongLine) || len(rec)+len(line) > maxLogRecord {
				if !yield(LogRecord{Line: recLine}, fmt.Errorf("event log line %d: a record longer than %d bytes is skipped", recLine, maxLogRecord)) {
					return
				}
				rec, quotes, skipping = rec[:0], 0, true
				if errors.Is(err, errLongLine) {
					err = nil
				}
				continue
			}
			rec = append(rec, line...)
			quotes += bytes.Count(line, []byte{'"'})
			if quotes%2 == 0 && !emit() {
				return
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			if len(rec) > 0 && !skipping {
				if quotes%2 == 1 {
					yield(LogRecord{Line: recLine}, fmt.Errorf("event log line %d: a quoted field is still open at the end of the export", recLine))
					return
				}
				emit()
			}
			return
		default:
			yield(LogRecord{Line: lineNo}, fmt.Errorf("event log: %w", err))
			return
		}
	}
}

var errLongLine = errors.New("line too long")

// readLogLine returns the next line, its end of line included, valid
// until the next read. A line longer than max is consumed and reported as
// errLongLine.
func readLogLine(br *bufio.Reader, max int) ([]byte, error) {
	chunk, err := br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return chunk, err // the common case: no copy
	}
	line := append([]byte(nil), chunk...)
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLongLine
		}
		line = append(line, chunk...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

// parseCSVRecord parses one assembled record.
func parseCSVRecord(rec []byte) ([]string, error) {
	cr := csv.NewReader(bytes.NewReader(rec))
	cr.FieldsPerRecord = -1 // the header has 5 names, records 6 fields
	fields, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty record")
	}
	return fields, err
}

func csvRecord(f []string, line int) (LogRecord, error) {
	rec := LogRecord{Line: line}
	if len(f) < 4 {
		return rec, fmt.Errorf("event log line %d: %d fields, want at least 4 (Level, Date and Time, Source, Event ID)", line, len(f))
	}
	id, err := strconv.Atoi(strings.TrimSpace(f[3]))
	if err != nil {
		return rec, fmt.Errorf("event log line %d: event ID %q is not a number", line, f[3])
	}
	t, err := parseLogTime(f[1])
	if err != nil {
		return rec, fmt.Errorf("event log line %d: %w", line, err)
	}
	rec.Level, rec.Time, rec.Source, rec.EventID = strings.TrimSpace(f[0]), t, strings.TrimSpace(f[2]), id
	if len(f) > 4 {
		rec.TaskCategory = strings.TrimSpace(f[4])
	}
	if len(f) > 5 {
		rec.Message = strings.TrimRight(strings.Join(f[5:], ","), "\r\n ")
	}
	rec.catalogued(nil)
	return rec, nil
}

// xmlEvent is one <Event> of an Event Viewer XML export.
type xmlEvent struct {
	System struct {
		Provider struct {
			Name string `xml:"Name,attr"`
		} `xml:"Provider"`
		EventID     string `xml:"EventID"`
		Level       string `xml:"Level"`
		Task        string `xml:"Task"`
		TimeCreated struct {
			SystemTime string `xml:"SystemTime,attr"`
		} `xml:"TimeCreated"`
	} `xml:"System"`
	EventData struct {
		Data []string `xml:"Data"`
	} `xml:"EventData"`
	RenderingInfo struct {
		Message string `xml:"Message"`
		Level   string `xml:"Level"`
		Task    string `xml:"Task"`
	} `xml:"RenderingInfo"`
}

var xmlLevels = map[string]string{"0": "Information", "1": "Critical", "2": "Error", "3": "Warning", "4": "Information", "5": "Verbose"}

func readXMLLog(r io.Reader, yield func(LogRecord, error) bool) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	for {
		offset := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			yield(LogRecord{Offset: offset}, fmt.Errorf("event log offset %d: broken XML, reading stops: %w", offset, err))
			return
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "Event" {
			continue
		}
		var ev xmlEvent
		if err := dec.DecodeElement(&ev, &start); err != nil {
			yield(LogRecord{Offset: offset}, fmt.Errorf("event log offset %d: broken XML, reading stops: %w", offset, err))
			return
		}
		rec, err := xmlRecord(&ev, offset)
		if !yield(rec, err) {
			return
		}
	}
}

func xmlRecord(ev *xmlEvent, offset int64) (LogRecord, error) {
	rec := LogRecord{Offset: offset, Source: ev.System.Provider.Name, Message: strings.TrimSpace(ev.RenderingInfo.Message)}
	id, err := strconv.Atoi(strings.TrimSpace(ev.System.EventID))
	if err != nil {
		return rec, fmt.Errorf("event log offset %d: event ID %q is not a number", offset, ev.System.EventID)
	}
	rec.EventID = id
	if ts := ev.System.TimeCreated.SystemTime; ts != "" {
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return rec, fmt.Errorf("event log offset %d: TimeCreated %q is not an RFC 3339 time", offset, ts)
		}
		rec.Time = t
	}
	rec.Level = ev.RenderingInfo.Level
	if rec.Level == "" {
		rec.Level = xmlLevels[strings.TrimSpace(ev.System.Level)]
	}
	rec.TaskCategory = ev.RenderingInfo.Task
	if rec.TaskCategory == "" {
		rec.TaskCategory = ev.System.Task
	}
	rec.catalogued(ev.EventData.Data)
	if rec.Message == "" {
		rec.Message = strings.Join(ev.EventData.Data, " ")
	}
	return rec, nil
}
