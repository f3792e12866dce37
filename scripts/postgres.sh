#!/usr/bin/env bash
# PostgreSQL 15 with pgvector on a Debian or Ubuntu machine, for the tests (a throwaway cluster each run starts on
# loopback: test/helpers/postgres.ts) and for DATABASE_URL on one machine. Debian's server from apt; pgvector is not
# packaged for bookworm, so it is built from Debian trixie's source package (docs/decisions.md). Idempotent: a second
# run with everything in place does nothing.
set -euo pipefail
PG_BIN=${GITLORE_PG_BIN:-/usr/lib/postgresql/15/bin}
EXTENSIONS=$("${PG_BIN}/pg_config" --sharedir 2>/dev/null || echo /usr/share/postgresql/15)/extension

need_apt=()
[ -x "$PG_BIN/initdb" ] || need_apt+=(postgresql-15 postgresql-contrib)
if [ ! -f "$EXTENSIONS/vector.control" ]; then
  # pg_config alone is not enough: the build needs the server's headers, which only the -dev package brings.
  { [ -x "$PG_BIN/pg_config" ] && [ -f "$("$PG_BIN/pg_config" --includedir-server)/postgres.h" ]; } || need_apt+=(postgresql-server-dev-15)
  command -v make >/dev/null || need_apt+=(make)
  command -v gcc >/dev/null || need_apt+=(gcc)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "postgres: please install: ${need_apt[*]} (as root), then run this again" >&2
    exit 2
  fi
  echo "postgres: installing ${need_apt[*]}…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  EXTENSIONS=$("$PG_BIN/pg_config" --sharedir)/extension
fi

if [ ! -f "$EXTENSIONS/vector.control" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "postgres: pgvector is missing; run scripts/postgres.sh as root to build it" >&2
    exit 2
  fi
  echo "postgres: building pgvector from Debian trixie's source package…" >&2
  work=$(mktemp -d)
  chmod 755 "$work" # apt's download user must reach it
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial"
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  echo "deb-src ${mirror:-http://deb.debian.org/debian} trixie main" >"$work/sources.list"
  # A private apt state: the machine's own package lists and sources stay as they are.
  apt_private=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$work/lists")
  (cd "$work" && apt-get "${apt_private[@]}" update -qq && apt-get "${apt_private[@]}" source -qq pgvector >/dev/null 2>&1)
  # OPTFLAGS="" leaves out -march=native, so the library runs on any x86-64 machine the data directory moves to.
  (cd "$work"/pgvector-*/ && make -s PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" >/dev/null && make -s PG_CONFIG="$PG_BIN/pg_config" install >/dev/null)
fi
[ -f "$EXTENSIONS/vector.control" ] && echo "postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') with pgvector ready" >&2
