#!/usr/bin/env bash
# Builds Mailpit (the local mail catcher with a web UI that `npm start` runs) from its Go module
# once, and caches it outside the clone, keyed by version, the way ensure-temporal.sh does the
# Temporal CLI; prints the binary's path. The module carries its web UI as source only, so the UI is
# built first with the module's own package-lock, then embedded by `go build`. sass-embedded is pinned
# to a release whose platform builds the registry serves, and rapidoc (its API docs page) to the release
# the registry serves: the lock's are not served here.
set -euo pipefail
VERSION=v1.33.1
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/sales-backoffice/mailpit-$VERSION"
BIN="$CACHE/mailpit"
if [ -n "${MAILPIT_PATH:-}" ]; then echo "$MAILPIT_PATH"; exit 0; fi
if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "Go is needed to build Mailpit ($VERSION)" >&2; exit 1; }
  echo "› building Mailpit $VERSION and its web UI from its Go module (first time only, a few minutes)" >&2
  mkdir -p "$CACHE"
  src=$(GOFLAGS=-mod=mod go mod download -json "github.com/axllent/mailpit@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  tmp=$(mktemp -d "$CACHE/build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  cp -r "$src/." "$tmp/src" && chmod -R u+w "$tmp/src"
  (cd "$tmp/src" && npm install --no-audit --no-fund --loglevel=error --save-exact sass-embedded@1.105.0 rapidoc@9.3.8 && npm run build) >&2
  (cd "$tmp/src" && GOFLAGS=-mod=mod go build -ldflags "-X github.com/axllent/mailpit/config.Version=$VERSION" -o "$tmp/mailpit" .) >&2
  mv -f "$tmp/mailpit" "$BIN"
fi
echo "$BIN"
