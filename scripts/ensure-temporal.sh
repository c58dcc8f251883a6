#!/usr/bin/env bash
# Builds the Temporal CLI (its dev server included) from its Go module once, and
# caches it outside the clone, keyed by version; prints the binary's path.
set -euo pipefail
VERSION=v1.5.1 # the newest tag without replace directives, so `go install` builds it
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/sales-backoffice/temporal-$VERSION"
BIN="$CACHE/temporal"
if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then echo "$TEMPORAL_CLI_PATH"; exit 0; fi
if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "Go is needed to build the Temporal CLI ($VERSION)" >&2; exit 1; }
  echo "› building the Temporal CLI $VERSION from its Go module (first time only, a few minutes)" >&2
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/build.XXXXXX")
  GOBIN="$tmp" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$VERSION" >&2
  mv -f "$tmp/temporal" "$BIN"
  rmdir "$tmp"
fi
echo "$BIN"
