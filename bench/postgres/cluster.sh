#!/usr/bin/env bash
# A PostgreSQL cluster for benchmarks on loopback, with production durability (fsync on), kept between runs:
#   bash bench/postgres/cluster.sh start [DIR] [PORT]   -> prints postgres://postgres@127.0.0.1:PORT/postgres (default port 55440)
#   bash bench/postgres/cluster.sh stop  [DIR]
# Needs `bash scripts/postgres.sh` (PostgreSQL 15 + pgvector) first. Runs the server as the postgres user when root.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:-/tmp/gitlore-bench-pg}
port=${3:-55440}
bin=${GITLORE_PG_BIN:-/usr/lib/postgresql/15/bin}
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
  start)
    if [ ! -d "$dir/data" ]; then
      mkdir -p "$dir" && [ "$(id -u)" = 0 ] && chown postgres: "$dir"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    # Memory for a 24 GiB machine: HNSW builds want maintenance_work_mem, scans want shared_buffers.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start -o "-p $port -k $dir -c listen_addresses=127.0.0.1 \
      -c shared_buffers=2GB -c maintenance_work_mem=2GB -c work_mem=64MB -c max_connections=200 -c max_wal_size=8GB" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop) as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  *) echo "usage: cluster.sh start|stop [DIR] [PORT]" >&2; exit 2 ;;
esac
