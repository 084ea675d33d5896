package backupapi

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretEncodesAsTheMaskInJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		want string
	}{
		{"a secret", Secret("Tr0ub4dor&3"), `"***"`},
		{"an empty secret says it is empty", Secret(""), `""`},
		{"a record's secret fields", UserDetail{Name: "alice", AccessToken: "tok-123", Password: "hash-456"}, ``},
		{"a pointer to a secret", Ptr(Secret("p")), `"***"`},
		{"secrets in a slice and a map", map[string][]Secret{"k": {"a1", "b2"}}, `{"k":["***","***"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.in)
			require.NoError(t, err)
			for _, leak := range []string{"Tr0ub4dor", "tok-123", "hash-456", `"a1"`, `"b2"`, `"p"`} {
				assert.NotContains(t, string(b), leak)
			}
			if tc.want != "" {
				assert.Equal(t, tc.want, string(b))
			}
		})
	}
}

// wireSenders sends each request type that holds a Secret through its SDK
// call and returns the body that went on the wire. The request carries
// the secret "Wire-Secret-1".
var wireSenders = map[string]func(t *testing.T) string{
	"AddUserRequest": func(t *testing.T) string {
		return sentAhsay(t, "/obs/api/json/2/AddUser.do", func(c *AhsayClient) error {
			return c.AddUser(context.Background(), &AddUserRequest{UserRef: UserRef{LoginName: "alice"}, Password: "Wire-Secret-1",
				QuotaList: []Quota{{Enabled: true, DestinationKey: "OBS", Quota: GiB}}})
		})
	},
	"UpdateUserRequest": func(t *testing.T) string {
		return sentAhsay(t, "/obs/api/json/2/UpdateUser.do", func(c *AhsayClient) error {
			return c.UpdateUser(context.Background(), &UpdateUserRequest{UserRef: UserRef{LoginName: "alice"}, Password: Ptr(Secret("Wire-Secret-1"))})
		})
	},
	"AuthUserRequest": func(t *testing.T) string {
		return sentAhsay(t, "/obs/api/json/AuthUser.do", func(c *AhsayClient) error {
			return c.AuthUser(context.Background(), &AuthUserRequest{UserRef: UserRef{LoginName: "alice"}, Password: "Wire-Secret-1"})
		})
	},
	"CreateBackupRequest": func(t *testing.T) string {
		return sentXClarity(t, managementData, func(c *XClarityClient) error {
			_, err := c.CreateBackup(context.Background(), &CreateBackupRequest{Label: "n", Passphrase: "Wire-Secret-1"})
			return err
		})
	},
	"ProcessBackupRequest": func(t *testing.T) string {
		return sentXClarity(t, "/files"+managementData+"?action=process", func(c *XClarityClient) error {
			_, err := c.ProcessBackup(context.Background(), &ProcessBackupRequest{Passphrase: "Wire-Secret-1"})
			return err
		})
	},
	"RestoreRequest": func(t *testing.T) string {
		return sentXClarity(t, managementData, func(c *XClarityClient) error {
			_, err := c.PrepareRestore(context.Background(), &RestoreRequest{UUID: backupUUID, Passphrase: "Wire-Secret-1"})
			return err
		})
	},
}

// TestEveryRequestHoldingASecretSendsItsValue proves that the mask of
// Secret's MarshalJSON never reaches the server: every request type of
// the package that holds a Secret (found in the source, so that a new one
// cannot be forgotten) is sent, and its body carries the value.
func TestEveryRequestHoldingASecretSendsItsValue(t *testing.T) {
	var found []string
	for _, name := range typesHoldingASecret(t) {
		if strings.HasSuffix(name, "Request") {
			found = append(found, name)
		}
	}
	var tested []string
	for name := range wireSenders {
		tested = append(tested, name)
	}
	sort.Strings(tested)
	require.Equal(t, found, tested, "every request type that holds a Secret has a sender in wireSenders")
	for _, name := range tested {
		t.Run(name, func(t *testing.T) {
			body := wireSenders[name](t)
			assert.Contains(t, body, `"Wire-Secret-1"`)
			assert.NotContains(t, body, `"***"`)
		})
	}
}

func sentAhsay(t *testing.T, path string, call func(*AhsayClient) error) string {
	c, mt := newMockAhsay(t)
	var body string
	mt.RegisterResponder("POST", testBase+path, func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		return jsonResponder(200, `{"Status":"OK"}`)(r)
	})
	require.NoError(t, call(c))
	return body
}

func sentXClarity(t *testing.T, path string, call func(*XClarityClient) error) string {
	c, m := newMockXC(t)
	var body string
	m.handle("POST", path, func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		return httpmock.NewStringResponse(200, `{"result":"success","jobId":"7"}`), nil
	})
	require.NoError(t, call(c))
	return body
}

// typesHoldingASecret returns the package's types that hold a Secret, in
// a field, a pointer, a slice, a map or a nested type, read from the
// source.
func typesHoldingASecret(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	decls := map[string]ast.Expr{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok {
				for _, s := range g.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						decls[ts.Name.Name] = ts.Type
					}
				}
			}
		}
	}
	var holds func(e ast.Expr, seen map[string]bool) bool
	holds = func(e ast.Expr, seen map[string]bool) bool {
		switch x := e.(type) {
		case *ast.Ident:
			if x.Name == "Secret" {
				return true
			}
			if d, ok := decls[x.Name]; ok && !seen[x.Name] {
				seen[x.Name] = true
				return holds(d, seen)
			}
		case *ast.StarExpr:
			return holds(x.X, seen)
		case *ast.ArrayType:
			return holds(x.Elt, seen)
		case *ast.MapType:
			return holds(x.Key, seen) || holds(x.Value, seen)
		case *ast.StructType:
			for _, f := range x.Fields.List {
				if holds(f.Type, seen) {
					return true
				}
			}
		}
		return false
	}
	var out []string
	for name := range decls {
		if name != "Secret" && holds(&ast.Ident{Name: name}, map[string]bool{}) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
