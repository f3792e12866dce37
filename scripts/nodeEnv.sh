# shellcheck shell=bash
# Sourced by every script: puts the Node runtime that setup.sh installed into .node/ (when the
# system node is older than 22.12) first on PATH, and builds native addons against its headers.
gitlore_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -x "$gitlore_root/.node/bin/node" ]; then
  case ":$PATH:" in
    *":$gitlore_root/.node/bin:"*) ;;
    *) export PATH="$gitlore_root/.node/bin:$PATH" ;;
  esac
  export npm_config_nodedir="$gitlore_root/.node"
fi
