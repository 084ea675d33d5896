package backupapitest_test

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/backupapitest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// notOperations are the client methods that are no operation of their
// own: the generic calls, and the waiters, which poll operations that have
// rows.
var notOperations = []string{"Do", "WaitForJob", "WaitForBackup", "WaitForRebuild"}

// sweepOps are the matrix's operations and Close (which the matrix leaves
// out: it ends the client).
func sweepOps() []matrixOp {
	closeOp := matrixOp{name: "Close", fakeOp: backupapitest.OpLogout, xclarity: true,
		call: func(ctx context.Context, _ *backupapi.AhsayClient, c *backupapi.XClarityClient) error {
			if _, err := c.ListBackups(ctx); err != nil { // a session to close
				return err
			}
			return c.Close(ctx)
		}}
	return append(slices.Clone(matrixOps), closeOp)
}

// alsoCalls are the other operations a row's call performs besides its
// own (logins aside).
var alsoCalls = map[string][]string{
	"AllBackupJobs":         {backupapitest.OpListUsers},
	"Close":                 {backupapitest.OpListBackups},
	"AllBackupSetFreshness": {backupapitest.OpListUsers, backupapitest.OpListBackupSets, backupapitest.OpListBackupJobStatus},
	"BackupFreshness":       {backupapitest.OpQuiesceStatus, backupapitest.OpListJobs},
}

func TestEverySDKOperationHasARowInTheSweep(t *testing.T) {
	ctxType := reflect.TypeFor[context.Context]()
	rows := map[string]bool{}
	for _, op := range sweepOps() {
		rows[map[bool]string{false: "AhsayClient.", true: "XClarityClient."}[op.xclarity]+op.name] = true
	}
	for _, client := range []reflect.Type{reflect.TypeFor[*backupapi.AhsayClient](), reflect.TypeFor[*backupapi.XClarityClient]()} {
		for i := range client.NumMethod() {
			m := client.Method(i)
			if m.Type.NumIn() < 2 || m.Type.In(1) != ctxType || slices.Contains(notOperations, m.Name) {
				continue
			}
			name := client.Elem().Name() + "." + m.Name
			assert.True(t, rows[name], "%s has no row in matrixOps: the sweep cannot check its Op", name)
		}
	}
}

// sharedOps are the only Ops that more than one SDK method fires: the
// iterators and GetJob call the operation they wrap.
var sharedOps = map[string][]string{
	backupapitest.OpListUsers:           {"ListUsers", "AllUsers", "AllUserLastBackups"},
	backupapitest.OpListBackupJobStatus: {"ListBackupJobStatus", "AllBackupJobs"},
	backupapitest.OpListBackupJobs:      {"ListBackupJobs", "AllBackupSetFreshness"},
	backupapitest.OpListBackups:         {"ListBackups", "BackupFreshness"},
	backupapitest.OpGetJobs:             {"GetJob", "GetJobs"},
	backupapitest.OpLogout:              {"Close"},
}

func TestEverySDKOperationHasAnOpOfItsOwnName(t *testing.T) {
	for _, op := range sweepOps() {
		known := backupapitest.AhsayOps
		if op.xclarity {
			known = backupapitest.XClarityOps
		}
		assert.Contains(t, known, op.fakeOp, "%s's Op is one of its product's", op.name)
		if methods, shared := sharedOps[op.fakeOp]; shared {
			assert.Contains(t, methods, op.name, "%s shares %s", op.name, op.fakeOp)
			continue
		}
		assert.Equal(t, op.name, op.fakeOp, "an Op is named after its SDK operation")
	}
}

// allCalls reads every operation's call count of both fakes.
func allCalls(fx matrixFixture) map[string]int {
	out := map[string]int{}
	for _, op := range backupapitest.AhsayOps {
		out["ahsay/"+op] = fx.ahsay.Calls(op)
	}
	for _, op := range backupapitest.XClarityOps {
		out["xclarity/"+op] = fx.xc.Calls(op)
	}
	return out
}

// TestEverySDKOperationFiresItsOwnOp calls every SDK operation, on the
// v2 and the v1 AhsayCBS paths, and checks that the fake counts it under
// its own Op and no other, and that a fault injected on that Op is the
// one the call meets.
func TestEverySDKOperationFiresItsOwnOp(t *testing.T) {
	paths := []struct {
		name string
		opts []backupapi.Option
	}{{"v2 paths", nil}, {"v1 paths", []backupapi.Option{backupapi.WithAhsayV1()}}}
	for _, p := range paths {
		for _, op := range sweepOps() {
			if op.xclarity && p.opts != nil {
				continue // XClarity has one set of paths
			}
			product := map[bool]string{false: "ahsay/", true: "xclarity/"}[op.xclarity]
			t.Run(p.name+"/"+op.name+" counts as "+op.fakeOp+" only", func(t *testing.T) {
				fx := newMatrixFixture(t, op, false, p.opts...)
				before := allCalls(fx)
				require.NoError(t, op.call(fx.ctx, fx.ac, fx.xcc))
				after := allCalls(fx)
				assert.Positive(t, after[product+op.fakeOp]-before[product+op.fakeOp], "the call is counted under its own Op")
				allowed := []string{product + op.fakeOp, "xclarity/" + backupapitest.OpLogin}
				for _, also := range alsoCalls[op.name] {
					allowed = append(allowed, product+also)
				}
				for _, k := range slices.Sorted(maps.Keys(after)) {
					if after[k] != before[k] && !slices.Contains(allowed, k) {
						t.Errorf("the call was also counted as %s", k)
					}
				}
			})
			t.Run(p.name+"/"+op.name+" meets a fault injected on "+op.fakeOp, func(t *testing.T) {
				fx := newMatrixFixture(t, op, false, p.opts...)
				inject := fx.ahsay.Inject
				if op.xclarity {
					inject = fx.xc.Inject
				}
				inject(op.fakeOp, backupapitest.Fault{Status: 400})
				assert.ErrorIs(t, op.call(fx.ctx, fx.ac, fx.xcc), backupapi.ErrInvalidRequest, "the injected 400")
				if op.name == "Close" { // a closed client calls nothing more: the session it failed to end is still open
					assert.Equal(t, 1, fx.xc.Sessions())
					return
				}
				assert.NoError(t, op.call(fx.ctx, fx.ac, fx.xcc), "the fault was used up by that call")
			})
		}
	}
}
