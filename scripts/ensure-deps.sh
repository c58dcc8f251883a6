#!/usr/bin/env bash
# Installs the npm dependencies from package-lock.json when they are missing or
# were installed from another lock file (compared by content, not by date), and
# makes sure the committed patches (patches/, applied by patch-package) are in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# The packages patches/ patches: "postgres+3.4.9.patch" → postgres, "@a+b+1.0.0.patch" → @a/b.
patched_packages() {
  for f in patches/*.patch; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .patch)
    name=${name%+*}
    echo "node_modules/${name//+//}"
  done
}

install() {
  echo "› installing npm dependencies" >&2
  # A patched package is removed first, so npm lays a clean copy for patch-package (its postinstall)
  # to patch: a copy edited otherwise (an older patch, a hand edit) makes patch-package fail.
  # Removed, not rewritten in place, so hard-linked copies of node_modules stay apart.
  patched_packages | xargs -r rm -rf
  # `npm install`, not `npm ci`: npm 11 refuses `ci` when the lock lacks other
  # platforms' optional packages (@swc/core-darwin-*, @rollup/*), which a lock
  # made on Linux does; `install` still takes the exact versions of the lock.
  npm install --no-fund --no-audit >&2
  # A new file, not a rewrite in place: hard-linked copies of node_modules stay apart.
  echo "$want" > node_modules/.installed-lock-sha.tmp && mv -f node_modules/.installed-lock-sha.tmp node_modules/.installed-lock-sha
}

want=$(sha256sum package-lock.json | cut -d' ' -f1)
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
