#!/usr/bin/env bash
# The Lua interpreter the chart's Argo CD health checks are tested with: Debian's lua5.1 (Argo CD runs gopher-lua,
# a Lua 5.1), installed with apt when missing.
set -euo pipefail
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if command -v lua5.1 >/dev/null; then
  exit 0
fi
echo "[lua] installing lua5.1 (Debian package) for the Argo CD health check tests"
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q lua5.1 >/dev/null \
  || { sudo_if_needed apt-get update -q >/dev/null && \
       sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q lua5.1 >/dev/null; }
command -v lua5.1 >/dev/null
