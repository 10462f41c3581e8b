#!/usr/bin/env bash
# Builds the images the platform runs, without a Docker engine, as docker-archive tars in $CODESTORE_CACHE/images:
#   codestore/runtime:0.1.0, codestore/operator:0.1.0,  Debian bookworm + JRE 17 (debootstrap, cached) + the app
#   codestore/console:0.1.0                              (the runtime's also carries the maker-code host, the
#                                                        operator's the storage gateway)
#   codestore/example-shopping-cart-code:0.1.0          the same base + the example's maker-code jar under /code
#   k8s.gcr.io/pause:3.2                                 the pod sandbox (pause.c from Kubernetes' source)
# The layout matches runtime-image/Dockerfile, operator/Dockerfile and console/Dockerfile (app in /deployments, user 185), which users
# with Docker build and push instead. With CONTAINERD_ADDRESS set, the images are imported into that containerd.
# Needs the Maven build (make build) and the Kubernetes binaries (make kubernetes).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE="${CODESTORE_CACHE:-$HOME/.cache/codestore}"
IMAGES="$CACHE/images"
BASE="$IMAGES/base-jre17"
TAG=0.1.0
log() { printf '[build-images] %s\n' "$*" >&2; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

mkdir -p "$IMAGES"
if [ ! -f "$BASE.tar" ]; then
  command -v debootstrap >/dev/null || { log "installing debootstrap"; sudo_if_needed apt-get install -y -qq debootstrap >/dev/null; }
  log "building the base (Debian bookworm minbase + openjdk-17-jre-headless) with debootstrap"
  sudo_if_needed rm -rf "$BASE"
  sudo_if_needed debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$BASE" http://deb.debian.org/debian >&2
  sudo_if_needed rm -rf "$BASE"/var/cache/apt/archives/*.deb "$BASE"/var/lib/apt/lists/*
  sudo_if_needed tar --numeric-owner -C "$BASE" -cf "$BASE.tar.tmp" .
  sudo_if_needed mv "$BASE.tar.tmp" "$BASE.tar"
fi

archive() { "$ROOT/e2e/scripts/image-archive.py" "$@"; }
# G1 named: in a container of under 1792 MiB the JVM would choose the serial collector (see runtime-image/Dockerfile);
# the heap's share of the pod's memory limit is set per image below
java_opts() { echo "-XX:MaxRAMPercentage=$1 -XX:+UseG1GC -Djava.io.tmpdir=/tmp -Dvertx.cacheDirBase=/tmp/vertx-cache"; }
JAVA_OPTS=$(java_opts 75)

app_image() { # name, port, quarkus-app folder, other folders to put beside it under /deployments
  local name=$1 port=$2 app=$3 layer="$IMAGES/build/$1"
  [ -f "$app/quarkus-run.jar" ] || { log "$app is missing: run make build"; exit 1; }
  rm -rf "$layer" && mkdir -p "$layer/deployments"
  cp -r "$app/." "$layer/deployments/"
  for extra in "${@:4}"; do cp -r "$extra" "$layer/deployments/"; done
  archive "$IMAGES/$name.tar" "codestore/$name:$TAG" --layer "$BASE.tar" --layer "$layer" --user 185 \
    --workdir /deployments --env "JAVA_OPTS=$JAVA_OPTS" --port "$port" \
    --entrypoint '["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]'
  log "codestore/$name:$TAG -> $IMAGES/$name.tar"
}

# the maker-code host (/deployments/code-host) runs in the instance pod's code container, from this same image
# its heap gets half the pod's limit, not 75 % (see runtime-image/Dockerfile)
JAVA_OPTS=$(java_opts 50) app_image runtime 8080 "$ROOT/runtime-image/target/quarkus-app" "$ROOT/runtime-image/target/code-host"
# the storage gateway (/deployments/storage-gateway) runs as the chart's codestore-storage-gateway Deployment; half
# the pod's limit for the heap too: at 1000 instances, 75 % let the operator's RSS pass its 512 Mi limit while its
# heap after a collection was 85 MiB (docs/benchmarks.md, operator)
JAVA_OPTS=$(java_opts 50) app_image operator 8080 "$ROOT/operator/target/quarkus-app" "$ROOT/operator/target/storage-gateway"
# the web console, which the chart runs with console.enabled
app_image console 8090 "$ROOT/console/target/quarkus-app"

code="$IMAGES/build/example-shopping-cart-code"
rm -rf "$code" && mkdir -p "$code/code"
cp "$ROOT"/examples/shopping-cart-code/target/code/*.jar "$code/code/"
archive "$IMAGES/example-shopping-cart-code.tar" "codestore/example-shopping-cart-code:$TAG" --layer "$BASE.tar" \
  --layer "$code" --entrypoint '["sh"]' --user 185
log "codestore/example-shopping-cart-code:$TAG -> $IMAGES/example-shopping-cart-code.tar"

pause="$IMAGES/build/pause"
rm -rf "$pause" && mkdir -p "$pause"
cp "$CACHE/kubernetes-1.20.2/bin/pause" "$pause/pause"
archive "$IMAGES/pause.tar" "k8s.gcr.io/pause:3.2" --layer "$pause" --entrypoint '["/pause"]' --user 65535
log "k8s.gcr.io/pause:3.2 -> $IMAGES/pause.tar"

if [ -n "${CONTAINERD_ADDRESS:-}" ]; then
  for t in pause runtime operator console example-shopping-cart-code; do
    ctr --address "$CONTAINERD_ADDRESS" -n k8s.io images import --no-unpack "$IMAGES/$t.tar" >/dev/null
  done
  log "imported into containerd at $CONTAINERD_ADDRESS"
fi
