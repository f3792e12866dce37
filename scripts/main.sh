#!/usr/bin/env bash
# The main job on the embedded default: serve the HTTP API, web app and MCP, and in the
# background sync the configured sources (or, with none configured, this checkout itself
# as a demo) and index them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/nodeEnv.sh
gl() { node bin/gitlore.js "$@"; }
if ! gl status --json | node -e 'const s=JSON.parse(require("fs").readFileSync(0,"utf8")); process.exit(s.sources.length>0 || s.repos.total>0 ? 0 : 1)'; then
  echo "main: no sources configured; registering this checkout as a demo repository" >&2
  gl repo add "$(pwd)" --name gitlore-demo || true
fi
# `serve` listens first, then syncs every source and indexes code and history in the
# background, and resyncs every GITLORE_SYNC_INTERVAL seconds.
exec node bin/gitlore.js serve "$@"
