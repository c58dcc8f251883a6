#!/usr/bin/env bash
# Builds Mailpit (a local SMTP catcher with a web UI) from its Go module once, and caches
# it outside the clone, keyed by version, the way ensure-temporal.sh does the Temporal CLI;
# prints the binary's path.
set -euo pipefail
VERSION=v1.33.1
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/sales-backoffice/mailpit-$VERSION"
BIN="$CACHE/mailpit"
if [ -n "${MAILPIT_PATH:-}" ]; then echo "$MAILPIT_PATH"; exit 0; fi
if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "Go is needed to build Mailpit ($VERSION)" >&2; exit 1; }
  echo "› building Mailpit $VERSION from its Go module (first time only, a few minutes)" >&2
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/build.XXXXXX")
  GOBIN="$tmp" GOFLAGS=-mod=mod go install "github.com/axllent/mailpit@$VERSION" >&2
  mv -f "$tmp/mailpit" "$BIN"
  rmdir "$tmp"
fi
echo "$BIN"
