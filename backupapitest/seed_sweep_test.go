package backupapitest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedDefs maps each object definition of the seed schema to the Go type
// its JSON decodes into ("" is the root), with the exported fields the
// schema leaves out on purpose.
var seedDefs = map[string]struct {
	typ     reflect.Type
	without []string
}{
	"":               {reflect.TypeFor[Seed](), nil},
	"ahsay":          {reflect.TypeFor[AhsaySeed](), nil},
	"destination":    {reflect.TypeFor[SeedDestination](), nil},
	"user":           {reflect.TypeFor[AhsayUser](), []string{"BackupSets"}}, // Sets names them, with more
	"quota":          {reflect.TypeFor[AhsayQuota](), nil},
	"contact":        {reflect.TypeFor[AhsayContact](), nil},
	"backupSet":      {reflect.TypeFor[AhsayBackupSet](), nil},
	"schedule":       {reflect.TypeFor[AhsaySchedule](), nil},
	"backupJob":      {reflect.TypeFor[SeedBackupJob](), nil},
	"restoreJob":     {reflect.TypeFor[SeedRestoreJob](), nil},
	"storageStat":    {reflect.TypeFor[SeedStorageStat](), nil},
	"liveJob":        {reflect.TypeFor[AhsayLiveJob](), nil},
	"runJob":         {reflect.TypeFor[SeedRunJob](), nil},
	"license":        {reflect.TypeFor[AhsayLicense](), nil},
	"policyGroup":    {reflect.TypeFor[AhsayGroup](), []string{"PolicyGroupID", "Members"}}, // user groups' fields
	"userGroup":      {reflect.TypeFor[AhsayGroup](), nil},
	"systemUser":     {reflect.TypeFor[SeedSystemUser](), nil},
	"xclarity":       {reflect.TypeFor[XClaritySeed](), nil},
	"xclarityBackup": {reflect.TypeFor[XClarityBackup](), nil},
	"jobs":           {reflect.TypeFor[JobSettings](), nil},
}

// lowerCamel writes a Go name as a seed key: initialisms as words
// (BackupSetID → backupSetId, UUID → uuid, EnableAUA → enableAua).
func lowerCamel(name string) string {
	var words []string
	r := []rune(name)
	start := 0
	for i := 1; i <= len(r); i++ {
		boundary := i == len(r) ||
			(unicode.IsUpper(r[i]) && (unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1]))) ||
			(unicode.IsUpper(r[i]) && i+1 < len(r) && unicode.IsLower(r[i+1]) && unicode.IsUpper(r[i-1]))
		if boundary {
			words = append(words, string(r[start:i]))
			start = i
		}
	}
	for i, w := range words {
		w = strings.ToLower(w)
		if i > 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		words[i] = w
	}
	return strings.Join(words, "")
}

func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{"BackupSetID": "backupSetId", "UUID": "uuid", "EnableAUA": "enableAua",
		"LoginName": "loginName", "ID": "id", "Phone1": "phone1"} {
		assert.Equal(t, want, lowerCamel(in), in)
	}
}

// jsonFields lists the fields encoding/json sees in t: name as encoding/json
// matches it (the tag, or the Go name) → Go name and type.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

func TestTheSchemaAndTheGoTypesAgree(t *testing.T) {
	defs := seedSchemaRoot["$defs"].(map[string]any)
	t.Run("every object definition has its Go type", func(t *testing.T) {
		for name, d := range defs {
			if d.(map[string]any)["type"] == "object" {
				_, ok := seedDefs[name]
				assert.True(t, ok, "definition %q has no entry in seedDefs", name)
			}
		}
	})
	for name, d := range seedDefs {
		node := seedSchemaRoot
		if name != "" {
			node = defs[name].(map[string]any)
		}
		props := node["properties"].(map[string]any)
		fields := jsonFields(d.typ)
		t.Run("definition "+name+" and "+d.typ.Name(), func(t *testing.T) {
			assert.Equal(t, false, node["additionalProperties"], "unknown keys are refused")
			for key := range props {
				if key == "$schema" {
					continue
				}
				f, ok := matchField(fields, key)
				if assert.True(t, ok, "key %q decodes into no field of %s", key, d.typ) {
					assert.Equal(t, schemaKind(props[key].(map[string]any)), goKind(f.Type), "key %q and field %s", key, f.Name)
				}
			}
			for jname, f := range fields {
				if slices.Contains(d.without, f.Name) {
					continue
				}
				want := jname
				if f.Tag.Get("json") == "" {
					want = lowerCamel(f.Name)
				}
				_, ok := props[want]
				assert.True(t, ok, "field %s.%s has no key %q in the schema", d.typ, f.Name, want)
			}
		})
	}
}

// matchField finds the field encoding/json decodes key into: the exact
// tag or name, else one equal but for case.
func matchField(fields map[string]reflect.StructField, key string) (reflect.StructField, bool) {
	if f, ok := fields[key]; ok {
		return f, true
	}
	var found []reflect.StructField
	for name, f := range fields {
		if strings.EqualFold(name, key) {
			found = append(found, f)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return reflect.StructField{}, false
}

// schemaKind is a schema node's JSON type, following $ref.
func schemaKind(s schema) string {
	c := &schemaChecker{root: seedSchemaRoot}
	s = c.resolve(s)
	if f, _ := s["format"].(string); f == "date-time" {
		return "time"
	}
	if s["pattern"] == seedSchemaRoot["$defs"].(map[string]any)["duration"].(map[string]any)["pattern"] {
		return "duration"
	}
	return s["type"].(string)
}

// goKind is the JSON type a Go type decodes from.
func goKind(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Time]():
		return "time"
	case t == reflect.TypeFor[Duration]():
		return "duration"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return goKind(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "integer"
	case reflect.Slice:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.Kind().String()
}

func TestTheSchemaUsesOnlyTheKeywordsTheCheckerKnows(t *testing.T) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, e := range m {
			assert.Contains(t, schemaKeywords, k, "%s: keyword %q", path, k)
			switch k {
			case "properties", "$defs":
				for name, sub := range e.(map[string]any) {
					walk(path+"/"+k+"/"+name, sub)
				}
			case "items", "additionalProperties":
				walk(path+"/"+k, e)
			}
		}
	}
	walk("#", map[string]any(seedSchemaRoot))
}

// seedable maps every method by which a Go test sets a fake's state to
// the seed key that sets the same.
var seedable = map[string]string{
	"AhsayServer.SeedUser":             "ahsay.users",
	"AhsayServer.AddBackupSet":         "ahsay.users.sets",
	"AhsayServer.AddDestination":       "ahsay.destinations",
	"AhsayServer.SetStorageStat":       "ahsay.storageStats",
	"AhsayServer.SetLiveJobs":          "ahsay.liveJobs",
	"AhsayServer.SetRunJobs":           "ahsay.runJobs",
	"AhsayServer.AddBackupJob":         "ahsay.backupJobs",
	"AhsayServer.SeedHistory":          "ahsay.backupJobs", // users, sets and jobs: all seedable
	"AhsayServer.SeedFreshnessFleet":   "ahsay.backupJobs", // SeedHistory for each set
	"AhsayServer.AddRestoreJob":        "ahsay.restoreJobs",
	"AhsayServer.SetLicense":           "ahsay.license",
	"AhsayServer.AddPolicyGroup":       "ahsay.policyGroups",
	"AhsayServer.AddUserGroup":         "ahsay.userGroups",
	"AhsayServer.AddSystemUser":        "ahsay.systemUsers",
	"AhsayServer.SetBackupOutcome":     "jobs.ahsayBackupOutcome",
	"AhsayServer.SetJobDuration":       "jobs.duration",
	"XClarityServer.SeedBackup":        "xclarity.backups",
	"XClarityServer.FailJobs":          "jobs.xclarityOutcome",
	"XClarityServer.SetJobDuration":    "jobs.duration",
	"XClarityServer.SetSessionTimeout": "xclarity.sessionTimeout",
}

// notState are the setters that are not state a seed holds.
var notState = []string{"AhsayServer.Inject", "XClarityServer.Inject"}

func TestEveryStateTheGoAPISetsIsSeedable(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[*AhsayServer](), reflect.TypeFor[*XClarityServer]()} {
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			name := typ.Elem().Name() + "." + m.Name
			if !slices.ContainsFunc([]string{"Seed", "Add", "Set", "Fail", "Inject"}, func(p string) bool { return strings.HasPrefix(m.Name, p) }) ||
				slices.Contains(notState, name) {
				continue
			}
			key, ok := seedable[name]
			if assert.True(t, ok, "%s sets state: map it to its seed key in seedable", name) {
				assert.True(t, schemaHasPath(key), "%s: the schema has no %s", name, key)
			}
		}
	}
}

// schemaHasPath reports whether a dotted path of keys (arrays stepped
// through) is in the schema.
func schemaHasPath(path string) bool {
	c := &schemaChecker{root: seedSchemaRoot}
	node := c.root
	for _, key := range strings.Split(path, ".") {
		node = c.resolve(node)
		if items, ok := node["items"].(map[string]any); ok {
			node = c.resolve(items)
		}
		props, _ := node["properties"].(map[string]any)
		next, ok := props[key].(map[string]any)
		if !ok {
			return false
		}
		node = next
	}
	return true
}

// resetFields names every field of the servers: the ones Reset returns to
// their first value, and the ones it keeps.
var resetFields = map[reflect.Type]struct{ reset, kept []string }{
	reflect.TypeFor[AhsayServer](): {
		reset: []string{"users", "destinations", "stats", "live", "runJobs", "rebuilds", "forgotEmails", "mon", "jobLength", "nextID"},
		kept:  []string{"Server", "SysUser", "SysPwd", "faults", "mu", "now", "cfg"}},
	reflect.TypeFor[XClarityServer](): {
		reset: []string{"sessions", "backups", "jobs", "nextJob", "jobLength", "failWith", "imported", "quiesce", "prepared", "quiesceMiss", "sessionTimeout"},
		kept:  []string{"Server", "Username", "Password", "faults", "clock", "mu", "cfg"}},
}

func TestResetKnowsEveryFieldOfTheServers(t *testing.T) {
	for typ, want := range resetFields {
		var have []string
		for i := range typ.NumField() {
			have = append(have, typ.Field(i).Name)
		}
		all := append(slices.Clone(want.reset), want.kept...)
		sort.Strings(have)
		sort.Strings(all)
		assert.Equal(t, all, have, "%s: a new field must be reset in control_state.go (and listed in reset) or listed as kept", typ)
	}
}

// TestEveryFaultHasAControlForm checks that each field of Fault and each
// DropMode and BodyFault constant can be given through the control API.
func TestEveryFaultHasAControlForm(t *testing.T) {
	wire := reflect.TypeFor[controlFault]()
	for i := range reflect.TypeFor[Fault]().NumField() {
		f := reflect.TypeFor[Fault]().Field(i)
		_, ok := wire.FieldByName(f.Name)
		assert.True(t, ok, "Fault.%s has no field in controlFault", f.Name)
	}
	consts := constantsOfTypes(t, "DropMode", "BodyFault")
	require.NotEmpty(t, consts["BodyFault"])
	for _, name := range consts["DropMode"] {
		if name != "NoDrop" {
			assert.Contains(t, dropConstNames(), name, "DropMode %s has no name in faultDrops", name)
		}
	}
	for _, name := range consts["BodyFault"] {
		if name != "BodyOK" {
			assert.Contains(t, bodyConstNames(), name, "BodyFault %s has no name in faultBodies", name)
		}
	}
}

// constantsOfTypes parses the package's files for the constants declared
// with each type (iota blocks included).
func constantsOfTypes(t *testing.T, types ...string) map[string][]string {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			current := ""
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); ok {
					current = id.Name
				} else if vs.Type != nil || len(vs.Values) > 0 {
					current = ""
				}
				if slices.Contains(types, current) {
					for _, n := range vs.Names {
						out[current] = append(out[current], n.Name)
					}
				}
			}
		}
	}
	return out
}

// dropConstNames and bodyConstNames name the constants faultDrops and
// faultBodies map to, by their values.
func dropConstNames() []string {
	byValue := map[DropMode]string{DropBeforeAct: "DropBeforeAct", DropAfterAct: "DropAfterAct"}
	var out []string
	for _, v := range faultDrops {
		out = append(out, byValue[v])
	}
	return out
}

func bodyConstNames() []string {
	byValue := map[BodyFault]string{BodyHTML: "BodyHTML", BodyTruncated: "BodyTruncated", BodyEmpty: "BodyEmpty",
		BodyOversized: "BodyOversized", BodyStall: "BodyStall", BodyEcho: "BodyEcho"}
	var out []string
	for _, v := range faultBodies {
		out = append(out, byValue[v])
	}
	return out
}
