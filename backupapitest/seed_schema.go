package backupapitest

import (
	_ "embed" // the seed schema
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// SeedSchema is the JSON Schema (draft 2020-12) of a seed file, as
// seed.schema.json in this package holds it. DecodeSeed checks a seed
// against it before reading it, so the schema and the decoder cannot
// disagree on what a seed may hold.
//
//go:embed seed.schema.json
var SeedSchema []byte

// schemaKeywords are the JSON Schema keywords the seed schema may use: the
// ones checkSchema enforces, and the annotations it may ignore.
var schemaKeywords = []string{"$schema", "$id", "$defs", "$ref", "$comment", "title", "description",
	"type", "properties", "additionalProperties", "required", "items", "enum", "pattern", "format",
	"minimum", "maximum"}

// schema is a decoded schema node.
type schema map[string]any

// seedSchemaRoot is the parsed SeedSchema.
var seedSchemaRoot = mustParseSchema(SeedSchema)

func mustParseSchema(b []byte) schema {
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		panic("backupapitest: seed.schema.json: " + err.Error())
	}
	return s
}

// schemaChecker checks a document against the root schema and collects
// the problems, each with its JSON path.
type schemaChecker struct {
	root     schema
	problems []error
}

// maxSeedProblems bounds how many problems one error reports.
const maxSeedProblems = 20

func (c *schemaChecker) fail(path, format string, args ...any) {
	if len(c.problems) < maxSeedProblems {
		c.problems = append(c.problems, &SeedError{Path: path, Problem: fmt.Sprintf(format, args...)})
	}
}

// resolve follows a "$ref" of the form #/$defs/name.
func (c *schemaChecker) resolve(s schema) schema {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		defs, _ := c.root["$defs"].(map[string]any)
		def, found := defs[name].(map[string]any)
		if !ok || !found {
			panic("backupapitest: seed.schema.json: unresolvable $ref " + ref)
		}
		// Keywords beside the $ref (a description) are annotations.
		s = def
	}
}

// durationRef is the seed schema's Go duration: its pattern cannot say
// that a duration is at most 2562047h (time.Duration's range), so the
// checker parses every value that matches it.
const durationRef = "#/$defs/duration"

// check checks v (decoded with UseNumber) against s at path.
func (c *schemaChecker) check(s schema, v any, path string) {
	if ref, _ := s["$ref"].(string); ref == durationRef {
		before := len(c.problems)
		c.check(c.resolve(s), v, path)
		if str, ok := v.(string); ok && len(c.problems) == before {
			if _, err := time.ParseDuration(str); err != nil {
				c.fail(path, "%q is longer than a Go duration can be (2562047h)", str)
			}
		}
		return
	}
	s = c.resolve(s)
	if t, ok := s["type"].(string); ok && !hasType(v, t) {
		c.fail(path, "want %s, got %s", article(t), shown(path, v))
		return
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		names := make([]string, len(enum))
		for i, e := range enum {
			names[i] = fmt.Sprint(e)
		}
		c.fail(path, "%s is not one of %s", shown(path, v), strings.Join(names, ", "))
		return
	}
	switch v := v.(type) {
	case string:
		c.checkString(s, v, path)
	case json.Number:
		c.checkNumber(s, v, path)
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range v {
				c.check(items, e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case map[string]any:
		c.checkObject(s, v, path)
	}
}

func (c *schemaChecker) checkString(s schema, v, path string) {
	if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(v) {
		c.fail(path, "%s does not match %s", shown(path, v), p)
	}
	if f, ok := s["format"].(string); ok && f == "date-time" {
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			c.fail(path, "%s is not an RFC 3339 time (2026-11-23T01:00:00Z)", shown(path, v))
		}
	}
}

func (c *schemaChecker) checkNumber(s schema, v json.Number, path string) {
	n, ok := new(big.Rat).SetString(v.String())
	if !ok {
		return
	}
	if min, ok := s["minimum"].(float64); ok && n.Cmp(new(big.Rat).SetFloat64(min)) < 0 {
		c.fail(path, "%s is below the minimum %v", shown(path, v), min)
	}
	if max, ok := s["maximum"].(float64); ok && n.Cmp(new(big.Rat).SetFloat64(max)) > 0 {
		c.fail(path, "%s is above the maximum %v", shown(path, v), max)
	}
}

func (c *schemaChecker) checkObject(s schema, v map[string]any, path string) {
	props, _ := s["properties"].(map[string]any)
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if p, ok := props[k].(map[string]any); ok {
			c.check(p, v[k], joinPath(path, k))
			continue
		}
		switch extra := s["additionalProperties"].(type) {
		case bool:
			if !extra {
				c.fail(joinPath(path, k), "unknown key%s", keyHint(path, k, props))
			}
		case map[string]any:
			c.check(extra, v[k], joinPath(path, k))
		}
	}
	// After the unknown keys: a misspelt key is reported as such first.
	required, _ := s["required"].([]any)
	for _, r := range required {
		if _, ok := v[r.(string)]; !ok {
			c.fail(path, "missing key %q", r)
		}
	}
}

// renamedSeedKeys are the top-level keys of the seed file before 0.4,
// and what to write instead.
var renamedSeedKeys = map[string]string{
	"ahsayUsers":       "ahsay.users",
	"ahsayBackupJobs":  "ahsay.backupJobs",
	"ahsayRestoreJobs": "ahsay.restoreJobs",
	"xclarityBackups":  "xclarity.backups",
}

// keyHint suggests the key meant: the same key in other case, or the new
// name of a key renamed.
func keyHint(path, key string, props map[string]any) string {
	if path == "" {
		if to, ok := renamedSeedKeys[key]; ok {
			return fmt.Sprintf(" (renamed: write %s, with lowerCamelCase keys inside)", to)
		}
	}
	for p := range props {
		if strings.EqualFold(p, key) {
			return fmt.Sprintf(" (did you mean %q?)", p)
		}
	}
	names := make([]string, 0, len(props))
	for p := range props {
		names = append(names, p)
	}
	sort.Strings(names)
	return " (known: " + strings.Join(names, ", ") + ")"
}

var plainKey = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func joinPath(path, key string) string {
	if !plainKey.MatchString(key) {
		return fmt.Sprintf("%s[%q]", path, key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, ok = integerText(n.String())
		return ok
	case "null":
		return v == nil
	}
	panic("backupapitest: seed.schema.json: unknown type " + t)
}

func article(t string) string {
	switch t {
	case "object", "array", "integer":
		return "an " + t
	}
	return "a " + t
}

// shown is v as a problem quotes it: described, unless the key at path
// names a secret (a password, the licence's key), whose value a problem
// never quotes.
func shown(path string, v any) string {
	key := path
	for strings.HasSuffix(key, "]") { // an element of the key's array
		key = key[:strings.LastIndex(key, "[")]
	}
	key = key[strings.LastIndex(key, ".")+1:]
	if secretKey(key) {
		return "the value of a secret (not shown)"
	}
	return describe(v)
}

func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", v)
	case json.Number:
		return "the number " + v.String()
	case bool:
		return fmt.Sprint(v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
