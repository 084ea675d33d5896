package backupapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// duplicateKeys finds every key given twice in one object of a JSON
// document (one that decodes). The schema checker reads an object as a
// map, where the last of two equal keys wins, but encoding/json decodes
// both into the same Go value and merges them: a key given twice would
// let the first object past the schema unchecked. Each problem is a
// *SeedError at the key's path.
func duplicateKeys(doc []byte, path string) []error {
	d := &dupScan{dec: json.NewDecoder(bytes.NewReader(doc))}
	d.dec.UseNumber()
	if err := d.value(path); err != nil {
		return []error{&SeedError{Path: path, Problem: "not JSON: " + err.Error()}}
	}
	return d.problems
}

type dupScan struct {
	dec      *json.Decoder
	problems []error
}

func (d *dupScan) value(path string) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for d.dec.More() {
			tok, err := d.dec.Token()
			if err != nil {
				return err
			}
			key, _ := tok.(string)
			at := joinPath(path, key)
			if seen[key] && len(d.problems) < maxSeedProblems {
				d.problems = append(d.problems, &SeedError{Path: at, Problem: "key given twice in one object"})
			}
			seen[key] = true
			if err := d.value(at); err != nil {
				return err
			}
		}
	case json.Delim('['):
		for i := 0; d.dec.More(); i++ {
			if err := d.value(fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	_, err = d.dec.Token() // the closing delimiter
	return err
}
