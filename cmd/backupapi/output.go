package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"text/tabwriter"
)

// column is one column of a table or CSV: its header and how to print a
// row's value.
type column[T any] struct {
	name  string
	value func(T) string
}

func col[T any](name string, value func(T) string) column[T] { return column[T]{name, value} }

// streamChunk is how many rows of a streamed table are aligned together:
// the first lines show at once, and nothing holds the whole list.
const streamChunk = 64

// emit prints rows in the chosen format as they come: a table (aligned
// chunk by chunk), CSV, or JSON lines (a stream) / one JSON array (a
// list). It stops at the first error, after printing what came before.
func emit[T any](a *app, rows iter.Seq2[T, error], cols []column[T], stream bool) error {
	switch a.output {
	case "json":
		return emitJSON(a.out, rows, stream)
	case "csv":
		w := csv.NewWriter(a.out)
		_ = w.Write(headers(cols))
		for r, err := range rows {
			if err != nil {
				w.Flush()
				return err
			}
			_ = w.Write(values(r, cols))
			if stream {
				w.Flush()
			}
		}
		w.Flush()
		return w.Error()
	}
	tw := newTable(a.out)
	tw.row(headers(cols))
	n := 0
	for r, err := range rows {
		if err != nil {
			tw.flush()
			return err
		}
		tw.row(values(r, cols))
		if n++; stream && n%streamChunk == 0 {
			tw.flush()
		}
	}
	return tw.flush()
}

func emitJSON[T any](out io.Writer, rows iter.Seq2[T, error], stream bool) error {
	enc := json.NewEncoder(out)
	if stream { // JSON lines
		for r, err := range rows {
			if err != nil {
				return err
			}
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	all := []T{}
	for r, err := range rows {
		if err != nil {
			return err
		}
		all = append(all, r)
	}
	enc.SetIndent("", "  ")
	return enc.Encode(all)
}

// list is a slice as rows.
func list[T any](items []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}

// emitOne prints one record: a two-column table of its fields, or its
// JSON, or a CSV of the fields.
func emitOne(a *app, v any, fields [][2]string) error {
	switch a.output {
	case "json":
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case "csv":
		w := csv.NewWriter(a.out)
		_ = w.Write([]string{"field", "value"})
		for _, f := range fields {
			_ = w.Write(f[:])
		}
		w.Flush()
		return w.Error()
	}
	tw := newTable(a.out)
	for _, f := range fields {
		tw.row(f[:])
	}
	return tw.flush()
}

func headers[T any](cols []column[T]) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.name
	}
	return h
}

func values[T any](r T, cols []column[T]) []string {
	v := make([]string, len(cols))
	for i, c := range cols {
		v[i] = c.value(r)
	}
	return v
}

// table aligns rows with text/tabwriter.
type table struct{ tw *tabwriter.Writer }

func newTable(out io.Writer) *table { return &table{tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)} }

func (t *table) row(cells []string) {
	for i, c := range cells {
		if i > 0 {
			fmt.Fprint(t.tw, "\t")
		}
		fmt.Fprint(t.tw, c)
	}
	fmt.Fprintln(t.tw)
}

func (t *table) flush() error { return t.tw.Flush() }
