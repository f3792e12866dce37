#!/usr/bin/env bash
# Installs what gitlore needs on a fresh Debian/Ubuntu machine (idempotent):
# system packages when missing, npm dependencies, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v git >/dev/null || need_apt+=(git)
command -v g++ >/dev/null || need_apt+=(g++ make python3)
if [ "${GITLORE_SETUP_TEST_DEPS:-0}" = 1 ]; then
  command -v rg >/dev/null || need_apt+=(ripgrep)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install: ${need_apt[*]}" >&2; exit 2
  fi
fi

# onnxruntime-node's postinstall downloads CUDA extras from a host outside the npm registry.
export ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip
stamp=node_modules/.gitlore-install-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  # `npm ci` trips on npm 11 lockfiles that omit other platforms' optional packages (biome);
  # `npm install` still honours the lock.
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
if [ "${GITLORE_SETUP_TEST_DEPS:-0}" = 1 ] && [ ! -d node_modules/@huggingface/transformers ]; then
  # Local ONNX model folders run on transformers.js, an optional dependency of the product (~470 MB
  # with onnxruntime) that the default install leaves out; its test needs it, unsaved.
  npm install --no-save --no-audit --no-fund --loglevel=error @huggingface/transformers@4.3.1
fi
npm run -s build
