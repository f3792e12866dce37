#!/usr/bin/env bash
# Puts `gitlore` on PATH: a symlink to bin/gitlore in /usr/local/bin (root) or ~/.local/bin.
set -euo pipefail
launcher="$(cd "$(dirname "$0")/.." && pwd)/bin/gitlore"
if [ "$(id -u)" = 0 ] && [ -w /usr/local/bin ]; then dir=/usr/local/bin; else dir="$HOME/.local/bin"; fi
target="$dir/gitlore"
[ "$(readlink "$target" 2>/dev/null)" = "$launcher" ] && exit 0
if [ -e "$target" ] && [ ! -L "$target" ]; then
  echo "setup: $target exists and is not a link; to use this checkout run: ln -sf '$launcher' '$target'" >&2
  exit 0
fi
if mkdir -p "$dir" 2>/dev/null && ln -sfn "$launcher" "$target" 2>/dev/null; then
  echo "setup: linked $target -> $launcher" >&2
else
  echo "setup: could not link gitlore onto PATH; run: ln -sf '$launcher' /usr/local/bin/gitlore" >&2
  exit 0
fi
case ":$PATH:" in
  *":$dir:"*) ;;
  *) echo "setup: $dir is not on PATH; add it: export PATH=\"$dir:\$PATH\"" >&2 ;;
esac
