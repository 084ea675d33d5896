#!/usr/bin/env bash
# A test harness written in shell: it starts backupapi-fake and drives it
# with curl through the control API (a fault, a clock advance, a call
# count, a reset), as a harness in any language would. Run by
# TestAShellHarnessDrivesTheControlAPIWithCurl; BACKUPAPI_FAKE names the
# binary.
set -euo pipefail
fake=${BACKUPAPI_FAKE:?set BACKUPAPI_FAKE to the backupapi-fake binary}
dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$dir/seed.json" <<'JSON'
{"ahsay": {"users": [{"loginName": "alice", "password": "alice-pw", "sets": [{"id": "1700000000001"}]}]}}
JSON
mkfifo "$dir/out"
"$fake" --addr 127.0.0.1:0 --seed "$dir/seed.json" --clock 2026-11-23T00:00:00Z --job-duration 1m >"$dir/out" &
pid=$!
exec 3<"$dir/out"
while IFS= read -r line <&3; do
  case $line in
    READY*) break ;;
    *=*) export "${line?}" ;;
  esac
done
[ -n "${CONTROL_URL:-}" ] && [ -n "${CONTROL_TOKEN:-}" ] || fail "the fake printed no CONTROL_URL and CONTROL_TOKEN"

control() { curl -sS --fail-with-body --cacert "$CA_FILE" -H "Authorization: Bearer $CONTROL_TOKEN" "$@"; }
# ahsay OP JSON: prints the HTTP status, then the body.
ahsay() {
  curl -sS --cacert "$CA_FILE" -H 'Content-Type: application/json' -w '\n%{http_code}' \
    -d "$2" "$AHSAY_URL/obs/api/json/$1.do"
}
sys='"SysUser":"'$AHSAY_SYSUSER'","SysPwd":"'$AHSAY_SYSPWD'"'

# The control API is out of reach without the token.
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$CA_FILE" "$CONTROL_URL/calls")
[ "$code" = 401 ] || fail "without the token: $code, want 401"
echo "ok: 401 without the token"

# A fault: the next ListUsers answers 503, the one after is served.
control -d '{"op":"ListUsers","status":503}' "$CONTROL_URL/faults" >/dev/null
out=$(ahsay ListUsers "{$sys}")
[ "${out##*$'\n'}" = 503 ] || fail "ListUsers under the fault: $out"
out=$(ahsay ListUsers "{$sys}")
[ "${out##*$'\n'}" = 200 ] && [[ $out == *'"LoginName":"alice"'* ]] || fail "ListUsers after the fault: $out"
echo "ok: fault injected and spent"

# A call count: the refused call did not count, the served one did.
calls=$(control "$CONTROL_URL/calls?last=5")
[[ $calls == *'"ListUsers":1'* ]] || fail "ListUsers counted: $calls"
[[ $calls != *"$AHSAY_SYSPWD"* ]] || fail "the system password shows in the recorded requests"
echo "ok: call counted, secrets masked"

# The clock: a RunBackup job ends when the clock passes its duration.
ahsay RunBackup "{$sys,\"LoginName\":\"alice\",\"BackupSetID\":\"1700000000001\"}" >/dev/null
status() { ahsay ListBackupJobStatus "{$sys,\"LoginName\":\"alice\",\"BackupDate\":\"2026-11-23\"}"; }
[[ $(status) == *'"BackupJobStatus":""'* ]] || fail "the job runs before the clock moves: $(status)"
now=$(control -d '{"advance":"2m"}' "$CONTROL_URL/clock")
[[ $now == *'"now":"2026-11-23T00:02:00Z"'* ]] || fail "clock after the advance: $now"
[[ $(status) == *'"BackupJobStatus":"BS_STOP_SUCCESS"'* ]] || fail "the job ended with the clock: $(status)"
echo "ok: clock advanced, job finished"

# A reset returns to the seed and forgets the counts.
control -X POST "$CONTROL_URL/reset" >/dev/null
[[ $(control "$CONTROL_URL/calls") == *'"ListUsers":0'* ]] || fail "counts after the reset"
[[ $(status) == *'No Backup Job on that day'* ]] || fail "jobs after the reset: $(status)"
echo "ok: reset"
echo PASS
