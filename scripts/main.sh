#!/usr/bin/env bash
# The main job on the embedded default: sync the configured sources (or, with
# none configured, this checkout itself as a demo), index them, and serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
gl() { node bin/gitlore.js "$@"; }
if ! gl status --json | node -e 'const s=JSON.parse(require("fs").readFileSync(0,"utf8")); process.exit(s.sources.length>0 || s.repos.total>0 ? 0 : 1)'; then
  echo "main: no sources configured; registering this checkout as a demo repository" >&2
  gl repo add "$(pwd)" --name gitlore-demo || true
fi
gl sync
gl index || echo "main: indexing is not available yet" >&2
exec node bin/gitlore.js serve "$@"
