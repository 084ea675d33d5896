#!/usr/bin/env bash
# Runs every fuzz target of the module for a while each.
#   scripts/fuzz.sh          # 2 minutes per target
#   scripts/fuzz.sh 3s       # a quick pass (what CI runs)
# A crasher is written under testdata/fuzz/<Target>/ by go test: commit it,
# and it becomes a regression test that every `go test` runs.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-2m}
for pkg in $(go list ./...); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "== $target ($pkg, $fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/fuzz-$target.log 2>&1 || {
      cat /tmp/fuzz-$target.log; exit 1; }
    tail -n 1 /tmp/fuzz-$target.log
  done
done
