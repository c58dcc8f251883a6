#!/usr/bin/env bash
# Installs the npm dependencies from package-lock.json when they are missing or
# were installed from another lock file (compared by content, not by date).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sha256sum package-lock.json | cut -d' ' -f1)
have=$(cat node_modules/.installed-lock-sha 2>/dev/null || true)
if [ ! -d node_modules ] || [ "$want" != "$have" ]; then
  echo "› installing npm dependencies" >&2
  # `npm install`, not `npm ci`: npm 11 refuses `ci` when the lock lacks other
  # platforms' optional packages (@swc/core-darwin-*, @rollup/*), which a lock
  # made on Linux does; `install` still takes the exact versions of the lock.
  npm install --no-fund --no-audit >&2
  # A new file, not a rewrite in place: hard-linked copies of node_modules stay apart.
  echo "$want" > node_modules/.installed-lock-sha.tmp && mv -f node_modules/.installed-lock-sha.tmp node_modules/.installed-lock-sha
fi
# The postgres.js null-socket guard (see the script); idempotent, so it runs every time.
node scripts/patch-postgres.mjs
