#!/usr/bin/env bash
# Builds the Kubernetes 1.20.2 binaries this project tests against, from Debian bookworm's
# `kubernetes` source package (vendored Go dependencies, Debian's Go toolchain), and caches
# them outside the repository. Idempotent: a second run with the cache present does nothing.
#
# Result (CODESTORE_CACHE defaults to ~/.cache/codestore):
#   $CODESTORE_CACHE/kubernetes-1.20.2/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubelet,kube-proxy,kubectl}
#   $CODESTORE_CACHE/kubernetes-1.20.2/bin/pause   (the pod sandbox's process, from build/pause/linux/pause.c)
#   $KUBE_API_TEST_DIR/k8s/1.20.2-linux-amd64/{kube-apiserver,etcd,kubectl}   (layout Fabric8 kube-api-test expects)
set -euo pipefail

K8S_VERSION=1.20.2
CACHE="${CODESTORE_CACHE:-$HOME/.cache/codestore}"
OUT="$CACHE/kubernetes-$K8S_VERSION/bin"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
TEST_BIN="$KUBE_API_TEST_DIR/k8s/$K8S_VERSION-linux-amd64"
WHAT="${WHAT:-cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet cmd/kube-proxy cmd/kubectl}"

log() { printf '[build-kubernetes] %s\n' "$*" >&2; }

# Bumped whenever the build recipe changes, so cached binaries from an older recipe are rebuilt.
RECIPE=3

have_all() {
  [ "$(cat "$OUT/.recipe" 2>/dev/null)" = "$RECIPE" ] || return 1
  [ -x "$OUT/pause" ] || return 1
  for w in $WHAT; do [ -x "$OUT/$(basename "$w")" ] || return 1; done
}

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=()
  command -v go >/dev/null || missing+=(golang-go)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v dpkg-source >/dev/null || missing+=(dpkg-dev)
  command -v rsync >/dev/null || missing+=(rsync)
  [ -f /usr/share/gocode/src/github.com/modern-go/reflect2/go.mod ] || missing+=(golang-github-modern-go-reflect2-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_source() {
  local src="$CACHE/kubernetes-$K8S_VERSION/go/src/k8s.io/kubernetes"
  if [ ! -f "$src/Makefile" ]; then
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
      log "adding a deb-src entry for bookworm"
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        | sudo_if_needed tee /etc/apt/sources.list.d/codestore-deb-src.sources >/dev/null
      sudo_if_needed apt-get update -qq
    fi
    local work="$CACHE/kubernetes-$K8S_VERSION/debian-source"
    rm -rf "$work" && mkdir -p "$work"
    log "downloading Debian's kubernetes source package"
    (cd "$work" && apt-get source -qq --download-only kubernetes >/dev/null && dpkg-source -x --no-check ./*.dsc tree >/dev/null)
    mkdir -p "$(dirname "$src")"
    rm -rf "$src" && mv "$work/tree" "$src"
    rm -rf "$work"
  fi
  echo "$src"
}

# Kubernetes 1.20 vendors modern-go/reflect2 1.0.1, which crashes the API server (SIGSEGV in map
# iteration while encoding a response) when built with Go >= 1.18, as Debian bookworm's Go 1.19 is.
# Debian packages reflect2 1.0.2, which fixes it; swap it into the vendor tree before building.
patch_reflect2() {
  local dst="$1/vendor/github.com/modern-go/reflect2"
  if ! grep -qs "1.0.2" "$dst/.codestore-version"; then
    log "replacing vendored modern-go/reflect2 1.0.1 with Debian's 1.0.2 (Go 1.18+ fix)"
    rm -rf "$dst" && mkdir -p "$dst"
    cp -r /usr/share/gocode/src/github.com/modern-go/reflect2/. "$dst/"
    rm -f "$dst/go.mod" "$dst/go.sum"
    echo "1.0.2" > "$dst/.codestore-version"
  fi
}

if ! have_all; then
  ensure_packages
  src=$(ensure_source)
  patch_reflect2 "$src"
  mkdir -p "$OUT"
  rm -f "$OUT"/*
  log "building $WHAT (a few minutes on 2 cores)"
  (cd "$src" && GOPATH="$CACHE/kubernetes-$K8S_VERSION/go" CGO_ENABLED=0 make WHAT="$WHAT" >&2)
  for w in $WHAT; do cp "$src/_output/local/bin/linux/amd64/$(basename "$w")" "$OUT/"; done
  gcc -Os -static -o "$OUT/pause" "$src/build/pause/linux/pause.c"
  echo "$RECIPE" > "$OUT/.recipe"
else
  ensure_packages
fi

mkdir -p "$TEST_BIN"
for b in kube-apiserver kubectl; do ln -sf "$OUT/$b" "$TEST_BIN/$b"; done
ln -sf "$(command -v etcd)" "$TEST_BIN/etcd"
log "binaries ready in $OUT"
