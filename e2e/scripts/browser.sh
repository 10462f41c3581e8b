#!/usr/bin/env bash
# The browser the console's tests drive: Debian's chromium and its chromedriver, installed with apt when missing.
set -euo pipefail
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
echo "[browser] installing chromium and chromium-driver (Debian packages) for the console's browser tests"
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null \
  || { sudo_if_needed apt-get update -q >/dev/null && \
       sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null; }
command -v chromium >/dev/null && command -v chromedriver >/dev/null
