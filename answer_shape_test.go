package backupapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endpointRows is every row of the two endpoint tables; a test checks
// that none is missing.
var endpointRows = map[string]endpointDoc{
	"ahsayListUsers": ahsayListUsers, "ahsayAuthUser": ahsayAuthUser, "ahsayGetUser": ahsayGetUser, "ahsayAddUser": ahsayAddUser,
	"ahsayUpdateUser": ahsayUpdateUser, "ahsayModifyUserStatus": ahsayModifyUserStatus, "ahsayRemoveUser": ahsayRemoveUser,
	"ahsaySendForgotPasswordEmail": ahsaySendForgotPasswordEmail, "ahsayUpdateAUA": ahsayUpdateAUA,
	"ahsayGetUserStorageStat": ahsayGetUserStorageStat, "ahsayAddContact": ahsayAddContact, "ahsayAppendContacts": ahsayAppendContacts,
	"ahsayReplaceContacts": ahsayReplaceContacts, "ahsayChangeContacts": ahsayChangeContacts,
	"ahsayRunSingleUserRebuild": ahsayRunSingleUserRebuild, "ahsayGetSingleUserRebuildStatus": ahsayGetSingleUserRebuildStatus,
	"ahsayGetUserStatus": ahsayGetUserStatus, "ahsayGetServerRunJobStatus": ahsayGetServerRunJobStatus,
	"ahsayListBackupSets": ahsayListBackupSets, "ahsayGetBackupSet": ahsayGetBackupSet, "ahsayListBackupJobs": ahsayListBackupJobs,
	"ahsayListBackupJobStatus": ahsayListBackupJobStatus, "ahsayListBackupJobMode": ahsayListBackupJobMode,
	"ahsayGetBackupJobProgress": ahsayGetBackupJobProgress, "ahsayGetBackupJobReport": ahsayGetBackupJobReport,
	"ahsayGetBackupJobReportSummary": ahsayGetBackupJobReportSummary, "ahsayRunBackup": ahsayRunBackup,
	"ahsayCancelPendingBackup": ahsayCancelPendingBackup, "ahsayListRestoreJobs": ahsayListRestoreJobs,
	"ahsayListRestoreJobStatus": ahsayListRestoreJobStatus, "ahsayAuthSystemUser": ahsayAuthSystemUser, "ahsayGetLicense": ahsayGetLicense,
	"ahsayListPolicyGroups": ahsayListPolicyGroups, "ahsayListUserGroups": ahsayListUserGroups, "ahsayListSystemUsers": ahsayListSystemUsers,

	"xcListBackups": xcListBackups, "xcCopyBackup": xcCopyBackup, "xcMoveBackup": xcMoveBackup, "xcPushBackup": xcPushBackup,
	"xcCancelPush": xcCancelPush, "xcProcessBackup": xcProcessBackup, "xcGetJob": xcGetJob, "xcGetJobs": xcGetJobs,
	"xcCancelJobs": xcCancelJobs, "xcListJobs": xcListJobs, "xcDeleteBackup": xcDeleteBackup, "xcQuiesceStatus": xcQuiesceStatus,
	"xcCreateBackup": xcCreateBackup, "xcPrepareRestore": xcPrepareRestore, "xcStartRestore": xcStartRestore,
}

// answersLike names, for the methods without a row of their own, the
// operation whose answer shape their doc repeats.
var answersLike = map[string]string{
	"AllUsers": "ListUsers", "AllBackupJobs": "ListBackupJobStatus", "WaitForJob": "GetJob", "WaitForRebuild": "GetSingleUserRebuildStatus",
}

// TestEveryRowIsInTheDocTest parses the two tables: every row is in
// endpointRows, so that the answer-shape tests see it.
func TestEveryRowIsInTheDocTest(t *testing.T) {
	fset := token.NewFileSet()
	seen := 0
	for _, name := range []string{"ahsay_endpoints.go", "xclarity_endpoints.go"} {
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if n.Name == "emptyAnswers" {
						continue
					}
					seen++
					assert.Contains(t, endpointRows, n.Name, "%s: add the row to endpointRows", name)
				}
			}
		}
	}
	assert.Equal(t, len(endpointRows), seen)
}

// TestAnswersWithoutTheirKeyAreAsDocumented decodes, for every row, an
// answer that lacks the shape's key: it is ErrUnexpectedResponse exactly
// when the shape says so, and an empty value otherwise.
func TestAnswersWithoutTheirKeyAreAsDocumented(t *testing.T) {
	for name, row := range endpointRows {
		op, shape, value := row.doc()
		t.Run(op+" "+shape.without, func(t *testing.T) {
			require.NotEmpty(t, shape.holds, name)
			err := value([]byte(shape.bare))
			if shape.missingFails {
				assert.ErrorIs(t, err, ErrUnexpectedResponse, "%s answered %s", op, shape.bare)
				assert.Contains(t, shape.without, "ErrUnexpectedResponse")
			} else {
				assert.NoError(t, err, "%s answered %s", op, shape.bare)
				assert.NotContains(t, shape.without, "ErrUnexpectedResponse")
			}
		})
	}
}

// TestEveryMethodNamesItsAnswerShape reads the package's source: after
// its "Wire:" paragraph, each client method's doc ends in an "Answer:"
// paragraph, and for a method with a row (or one that answersLike names)
// it is the row's shape, word for word.
func TestEveryMethodNamesItsAnswerShape(t *testing.T) {
	shapes := map[string]answerShape{}
	for _, row := range endpointRows {
		op, shape, _ := row.doc()
		if prev, dup := shapes[op]; dup {
			require.Equal(t, prev, shape, "two rows of %s", op)
		}
		shapes[op] = shape
	}
	for method, like := range answersLike {
		shapes[method] = shapes[like]
	}
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	checked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || fn.Doc == nil {
				continue
			}
			paragraphs := strings.Split(strings.TrimSpace(fn.Doc.Text()), "\n\n")
			if len(paragraphs) < 2 || !strings.HasPrefix(paragraphs[len(paragraphs)-2], "Wire: ") {
				continue
			}
			checked++
			answer := strings.ReplaceAll(paragraphs[len(paragraphs)-1], "\n", " ")
			if !assert.True(t, strings.HasPrefix(answer, "Answer: "), "%s: an \"Answer:\" paragraph after \"Wire:\"", fn.Name.Name) {
				continue
			}
			if shape, ok := shapes[fn.Name.Name]; ok {
				assert.Equal(t, shape.doc(), answer, "%s's Answer line is its row's shape", fn.Name.Name)
			}
		}
	}
	assert.Greater(t, checked, 45, "the methods were found")
}
