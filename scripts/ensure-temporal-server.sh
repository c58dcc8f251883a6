#!/usr/bin/env bash
# Builds the Temporal server (the one production runs, not the CLI's dev server) and its SQL schema tool
# from the server's Go module once, and caches both outside the clone, keyed by version, the way
# ensure-temporal.sh does the CLI; prints the directory holding `server` and `temporal-sql-tool`.
# v1.29.1 is the server the CLI v1.5.1 embeds, so the dev profile and the cluster profile run the same server.
set -euo pipefail
VERSION=v1.29.1
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/sales-backoffice/temporal-server-$VERSION"
if [ -n "${TEMPORAL_SERVER_DIR:-}" ]; then echo "$TEMPORAL_SERVER_DIR"; exit 0; fi
build() { # $1: package, $2: the name go install gives it, $3: the name we keep
  [ -x "$CACHE/$3" ] && return 0
  command -v go >/dev/null || { echo "Go is needed to build the Temporal server ($VERSION)" >&2; exit 1; }
  echo "› building $1@$VERSION from its Go module (first time only, a few minutes)" >&2
  mkdir -p "$CACHE"
  tmp=$(mktemp -d "$CACHE/build.XXXXXX")
  GOBIN="$tmp" GOFLAGS=-mod=mod go install "$1@$VERSION" >&2 || { rm -rf "$tmp"; exit 1; }
  mv -f "$tmp/$2" "$CACHE/$3"
  rmdir "$tmp"
}
build go.temporal.io/server/cmd/server server server
build go.temporal.io/server/cmd/tools/sql sql temporal-sql-tool
# The server's sample Postgres config and dynamic config, which the cluster profile's config is generated
# from, and the Postgres schemas that temporal-sql-tool applies, kept beside the binaries.
if [ ! -d "$CACHE/schema/postgresql/v12" ]; then
  src=$(GOFLAGS=-mod=mod go mod download -json "go.temporal.io/server@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  mkdir -p "$CACHE/config" "$CACHE/schema/postgresql"
  cp "$src/config/development-postgres12.yaml" "$src/config/dynamicconfig/development-sql.yaml" "$CACHE/config/"
  cp -r "$src/schema/postgresql/v12" "$CACHE/schema/postgresql/"
  chmod -R u+w "$CACHE/config" "$CACHE/schema"
fi
echo "$CACHE"
