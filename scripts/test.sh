#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what tests need, builds,
# type-checks, lints, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
GITLORE_SETUP_TEST_DEPS=1 bash scripts/setup.sh
source scripts/nodeEnv.sh
echo "test: node $(node --version)" >&2
git config --global user.email >/dev/null 2>&1 || git config --global user.email "ci@gitlore.invalid"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "gitlore ci"
npm run -s typecheck
npm run -s lint
npx vitest run "$@"
