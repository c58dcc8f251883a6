#!/usr/bin/env bash
# Installs the npm dependencies exactly as package-lock.json says (`npm ci`, which never rewrites the lock,
# so a fresh clone stays clean) when they are missing or were installed from another lock or other patches
# (compared by content, not by date), and makes sure the committed patches (patches/, applied by
# patch-package) are in place.
set -euo pipefail
cd "$(dirname "$0")/.."

install() {
  echo "› installing npm dependencies (npm ci)" >&2
  # `npm ci` removes node_modules and lays every package anew, so patch-package (its postinstall) patches
  # clean copies, and hard-linked copies of node_modules stay apart. It fails, and changes nothing, when
  # package.json and the lock disagree: after changing dependencies, `npm install` and commit the lock.
  npm ci --no-fund --no-audit >&2
  # A new file, not a rewrite in place: hard-linked copies of node_modules stay apart.
  echo "$want" > node_modules/.installed-lock-sha.tmp && mv -f node_modules/.installed-lock-sha.tmp node_modules/.installed-lock-sha
}

# The lock and the patches: a new or changed patch reinstalls too, rather than patch a shared copy in place.
want=$(cat package-lock.json patches/*.patch 2>/dev/null | sha256sum | cut -d' ' -f1)
have=$(cat node_modules/.installed-lock-sha 2>/dev/null || true)
if [ ! -d node_modules ] || [ "$want" != "$have" ]; then
  install
fi
# The lock may be unchanged while a patch is new or was undone (an install with --ignore-scripts, a
# reinstalled package). patch-package leaves a copy it already patched as it is, and fails on a copy
# it cannot patch: then that package is installed clean and patched again.
if ! npx --no-install patch-package --error-on-fail >/dev/null 2>&1; then
  install
  npx --no-install patch-package --error-on-fail >&2
fi
