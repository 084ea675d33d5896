package main

import (
	"encoding/csv"
	"io"
	"iter"
	"text/tabwriter"
)

// result is what a command produced: records (a stream or a list), one
// record, an action's result, a raw answer. A command returns it and
// never formats; the renderer writes it in the chosen format.
type result interface {
	render(r *renderer) error
}

// renderer writes results in one format (table, json or csv) on out.
type renderer struct {
	format string
	out    io.Writer
}

// column is one column of a table or CSV: its header and a row's value,
// which the renderer formats by its type (see cellText).
type column[T any] struct {
	name  string
	value func(T) any
}

func col[T any](name string, value func(T) any) column[T] { return column[T]{name, value} }

// streamChunk is how many rows of a streamed table are aligned together:
// the first lines show at once, and nothing holds the whole list.
const streamChunk = 64

// records are rows of one type. A stream is written as it comes (JSON
// lines under -o json); a list is one JSON array.
type records[T any] struct {
	rows   iter.Seq2[T, error]
	cols   []column[T]
	stream bool
}

// stream returns rows that are written as they come.
func stream[T any](rows iter.Seq2[T, error], cols []column[T]) result {
	return records[T]{rows, cols, true}
}

// list returns a fetched list of rows.
func list[T any](items []T, cols []column[T]) result {
	return records[T]{func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}, cols, false}
}

// render writes the rows. Nothing is written before the first row: a
// call that fails first leaves the output empty, and an empty listing
// that succeeds still writes its header (or [] under -o json; a JSON-lines
// stream writes nothing). It stops at the first error, after writing the
// rows that came before.
func (rs records[T]) render(r *renderer) error {
	switch {
	case r.format == "json" && rs.stream:
		for row, err := range rs.rows {
			if err != nil {
				return err
			}
			if err := writeJSON(r.out, row, false); err != nil {
				return err
			}
		}
		return nil
	case r.format == "json":
		all := []T{}
		for row, err := range rs.rows {
			if err != nil {
				return err
			}
			all = append(all, row)
		}
		return writeJSON(r.out, all, true)
	case r.format == "csv":
		return rs.renderCSV(r.out)
	}
	return rs.renderTable(r.out)
}

func (rs records[T]) renderCSV(out io.Writer) error {
	w := csv.NewWriter(out)
	header := make([]string, len(rs.cols))
	for i, c := range rs.cols {
		header[i] = c.name
	}
	started := false
	for row, err := range rs.rows {
		if err != nil {
			w.Flush()
			return err
		}
		if !started {
			started = true
			_ = w.Write(header)
		}
		cells := make([]string, len(rs.cols))
		for i, c := range rs.cols {
			cells[i] = csvValue(c.value(row))
		}
		_ = w.Write(cells)
		if rs.stream {
			w.Flush()
		}
	}
	if !started {
		_ = w.Write(header)
	}
	w.Flush()
	return w.Error()
}

func (rs records[T]) renderTable(out io.Writer) error {
	t := newTable(out)
	header := make([]string, len(rs.cols))
	for i, c := range rs.cols {
		header[i] = c.name
	}
	n := 0
	for row, err := range rs.rows {
		if err != nil {
			_ = t.flush()
			return err
		}
		if n == 0 {
			t.row(header)
		}
		cells := make([]string, len(rs.cols))
		for i, c := range rs.cols {
			cells[i] = tableCell(c.value(row))
		}
		t.row(cells)
		if n++; rs.stream && n%streamChunk == 0 {
			if err := t.flush(); err != nil {
				return err
			}
		}
	}
	if n == 0 {
		t.row(header)
	}
	return t.flush()
}

// field is one line of a record's table: a label and a value, formatted
// by its type.
type field struct {
	name  string
	value any
}

// record is one record: its JSON is the whole value (masked and
// normalised by type); its table and CSV are the chosen fields.
type record struct {
	value  any
	fields []field
}

// one returns a record.
func one(v any, fields ...field) result { return record{v, fields} }

func (rec record) render(r *renderer) error {
	switch r.format {
	case "json":
		return writeJSON(r.out, rec.value, true)
	case "csv":
		w := csv.NewWriter(r.out)
		_ = w.Write([]string{"field", "value"})
		for _, f := range rec.fields {
			_ = w.Write([]string{csvCell(f.name), csvValue(f.value)})
		}
		w.Flush()
		return w.Error()
	}
	t := newTable(r.out)
	for _, f := range rec.fields {
		t.row([]string{escapeControls(f.name), tableCell(f.value)})
	}
	return t.flush()
}

// table aligns rows with text/tabwriter. Cells are escaped before they
// get here, so that no tab or newline in them moves a column or a row.
type table struct{ tw *tabwriter.Writer }

func newTable(out io.Writer) *table { return &table{tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)} }

func (t *table) row(cells []string) {
	for i, c := range cells {
		if i > 0 {
			_, _ = io.WriteString(t.tw, "\t")
		}
		_, _ = io.WriteString(t.tw, c)
	}
	_, _ = io.WriteString(t.tw, "\n")
}

func (t *table) flush() error { return t.tw.Flush() }
