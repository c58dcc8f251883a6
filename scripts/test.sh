#!/usr/bin/env bash
# `npm test`: installs what it needs, then runs every test against a real
# PostgreSQL and the real Temporal dev server started once for the run.
set -uo pipefail
cd "$(dirname "$0")/.."
# The install (the same as `npm start`'s) must leave the work tree as it found it: a fresh clone stays clean.
tree_state() { { git status --porcelain && git diff; } 2>/dev/null | sha256sum; }
before=$(tree_state)
bash scripts/ensure-deps.sh || exit 1
if [ "$(tree_state)" != "$before" ]; then
  echo "installing the dependencies changed the work tree (git status --porcelain below); npm ci must not rewrite package-lock.json:"
  git status --porcelain
  exit 1
fi
TEMPORAL_CLI_PATH=$(bash scripts/ensure-temporal.sh) || exit 1
export TEMPORAL_CLI_PATH
# The browser tests drive Debian's chromium (playwright-core downloads no browser) and read Chinese, so they need
# its CJK fonts; the document tests read the PDFs back with poppler-utils (pdftotext, pdftoppm, pdffonts).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "› installing ${missing[*]} for the browser and document tests" >&2
  { apt-get install -y "${missing[@]}" >&2 || { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; }; } \
    || { echo "could not install ${missing[*]} (apt-get install -y ${missing[*]}); the browser and document tests need them"; exit 1; }
fi
mkdir -p test-results
npx tsc -p . || { echo "typecheck failed"; exit 1; }
npx eslint . || { echo "lint failed"; exit 1; }
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
# The report decides, not vitest's exit code alone: embedded-postgres installs async-exit-hook, whose
# `beforeExit` handler calls process.exit(0) and so drops the failure code vitest had set.
node -e '
  const fs = require("fs");
  if (!fs.existsSync("test-results/vitest.json")) { console.log("Tests: no report was written"); process.exit(1); }
  const r = JSON.parse(fs.readFileSync("test-results/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  // One plain closing line that any CI reader understands.
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  const ok = r.success && r.numFailedTests === 0 && r.numFailedTestSuites === 0 && r.numTotalTests > 0;
  process.exit(ok ? 0 : 1);
' || status=1
exit $status
