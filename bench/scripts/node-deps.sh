#!/usr/bin/env bash
# Installs what the benchmark runs under Node (bench/node/package.json: PostGraphile and its connection-filter
# plugin) into ~/.cache/codestore/bench/node, once per version of package.json. Node and npm come from Debian's
# packages when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${CODESTORE_CACHE:-$HOME/.cache/codestore}/bench/node

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "node and npm are needed: sudo apt-get install -y nodejs npm" >&2
    exit 1
  fi
  echo "installing nodejs and npm from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null
fi

mkdir -p "$dest"
if ! cmp -s "$here/node/package.json" "$dest/package.json" || [ ! -d "$dest/node_modules/postgraphile" ]; then
  cp "$here/node/package.json" "$dest/package.json"
  (cd "$dest" && npm install --no-audit --no-fund --loglevel=error)
fi
echo "$dest"
