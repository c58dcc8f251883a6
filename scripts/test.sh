#!/usr/bin/env bash
# `npm test`: installs what it needs, then runs every test against a real
# PostgreSQL and the real Temporal dev server started once for the run.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
TEMPORAL_CLI_PATH=$(bash scripts/ensure-temporal.sh) || exit 1
export TEMPORAL_CLI_PATH
mkdir -p test-results
npx tsc -p . || { echo "typecheck failed"; exit 1; }
npx eslint . || { echo "lint failed"; exit 1; }
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
# One plain closing line that any CI reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' 2>/dev/null || true
exit $status
