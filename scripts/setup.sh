#!/usr/bin/env bash
# Installs what gitlore needs on a fresh Debian/Ubuntu machine (idempotent, and quick when
# nothing changed): system packages when missing, a Node 22 runtime when the system node is
# older than 22.12, npm dependencies, the build, and a `gitlore` launcher on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/nodeEnv.sh

need_apt=()
command -v git >/dev/null || need_apt+=(git)
command -v g++ >/dev/null || need_apt+=(g++ make python3)
command -v npm >/dev/null || need_apt+=(npm)
if [ "${GITLORE_SETUP_TEST_DEPS:-0}" = 1 ]; then
  command -v rg >/dev/null || need_apt+=(ripgrep)
  # The browser tests (test/web) drive Debian's Chromium through playwright-core; never `playwright install`.
  [ -x "${GITLORE_CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
  # test/deploy checks the deploy/ files with Debian's own tools (systemd-analyze comes with systemd).
  command -v nginx >/dev/null || need_apt+=(nginx-light)
  command -v shellcheck >/dev/null || need_apt+=(shellcheck)
  command -v cloud-init >/dev/null || need_apt+=(cloud-init)
  command -v openssl >/dev/null || need_apt+=(openssl)
  command -v systemd-analyze >/dev/null || need_apt+=(systemd)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing system packages: ${need_apt[*]}…" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install: ${need_apt[*]}" >&2; exit 2
  fi
fi
# The PostgreSQL store's tests start a throwaway cluster with pgvector (issue 18's backend).
[ "${GITLORE_SETUP_TEST_DEPS:-0}" = 1 ] && bash scripts/postgres.sh

node_is_recent() {
  command -v node >/dev/null && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 22 || (major === 22 && minor >= 12) ? 0 : 1)'
}
if ! node_is_recent; then
  # The npm registry's node-linux-<arch> packages carry the official binary and its headers.
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "setup: no Node 22 package for $(uname -m); install Node >= 22.12 and rerun" >&2; exit 2 ;;
  esac
  echo "setup: installing Node 22 runtime into .node/ (system node is $(node --version 2>/dev/null || echo missing))…" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  tarball="$(cd "$tmp" && npm pack --silent "node-linux-$arch@22")"
  rm -rf .node && mkdir .node
  tar -xzf "$tmp/$tarball" -C .node --strip-components=1
  rm -rf "$tmp"
  trap - EXIT
  source scripts/nodeEnv.sh
  node_is_recent || { echo "setup: .node/bin/node $(node --version) is not >= 22.12" >&2; exit 1; }
fi

# onnxruntime-node's postinstall downloads CUDA extras from a host outside the npm registry.
export ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip
# Native addons are built for one Node ABI: a new runtime reinstalls from scratch, a new lockfile
# installs what changed.
abi="$(node -p 'process.versions.modules + "-" + process.platform + "-" + process.arch')"
install_key="$abi $(sha1sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.gitlore-install-stamp
if [ "$(cat "$stamp" 2>/dev/null)" != "$install_key" ]; then
  echo "setup: installing npm dependencies (first run takes ~2 min)…" >&2
  if [ -e node_modules ] && [ "$(cut -d' ' -f1 "$stamp" 2>/dev/null)" != "$abi" ]; then rm -rf node_modules; fi
  # Not `npm ci`: it rejects this lockfile because vite lists an optional package the registry does not
  # have (napi-windows-process-start-time). --no-save installs exactly the lockfile and never rewrites it.
  npm install --no-save --no-audit --no-fund --loglevel=error
  echo "$install_key" >"$stamp"
fi
if [ "${GITLORE_SETUP_TEST_DEPS:-0}" = 1 ] && [ ! -d node_modules/@huggingface/transformers ]; then
  # Local ONNX model folders run on transformers.js, an optional dependency of the product (~470 MB
  # with onnxruntime) that the default install leaves out; its test needs it, unsaved.
  echo "setup: installing transformers.js for the tests…" >&2
  npm install --no-save --no-audit --no-fund --loglevel=error @huggingface/transformers@4.3.1
fi

build_stamp=dist/.gitlore-build-stamp
if [ ! -f "$build_stamp" ] || [ ! -f web/dist/manifest.json ] ||
  [ -n "$(find src web/src scripts/buildWeb.mjs package-lock.json tsconfig.json tsconfig.build.json -newer "$build_stamp" -print -quit)" ]; then
  echo "setup: building…" >&2
  npm run -s build
  touch "$build_stamp"
fi

# CI works in a throwaway clone: a link there would dangle once the clone is gone. deploy/setup.sh makes its own.
[ "${CI:-}" = true ] || [ "${GITLORE_SKIP_LINK:-0}" = 1 ] || bash scripts/linkBin.sh
