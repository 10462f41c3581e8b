#!/usr/bin/env bash
# The end-to-end test on kind, for machines with Docker (`make e2e-kind`). Shares NodeE2E with the local node:
# only how the cluster and the images come to be differs. Not runnable where there is no Docker engine.
#   1. a kind cluster "codestore" (kept for inspection; `kind delete cluster --name codestore` removes it)
#   2. the images from the project's Dockerfiles, loaded into the kind node
#   3. NodeE2E against it; Postgres and S3 run on this host, reached from pods through the kind network's gateway
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE="${CODESTORE_CACHE:-$HOME/.cache/codestore}"
command -v kind >/dev/null || { echo "kind is not installed: https://kind.sigs.k8s.io/docs/user/quick-start/" >&2; exit 1; }
command -v docker >/dev/null && docker info >/dev/null 2>&1 || { echo "no Docker engine: use make e2e (local node) instead" >&2; exit 1; }

kind get clusters | grep -qx codestore || kind create cluster --name codestore --wait 120s
mkdir -p "$CACHE/kind"
kind get kubeconfig --name codestore > "$CACHE/kind/kubeconfig"

docker build -t codestore/runtime:0.1.0 "$ROOT/runtime-image"
docker build -t codestore/operator:0.1.0 "$ROOT/operator"
docker build -t codestore/example-shopping-cart-code:0.1.0 "$ROOT/examples/shopping-cart-code"
for image in codestore/runtime:0.1.0 codestore/operator:0.1.0 codestore/example-shopping-cart-code:0.1.0; do
  kind load docker-image --name codestore "$image"
done

gateway=$(docker network inspect kind -f '{{(index .IPAM.Config 0).Gateway}}')
cd "$ROOT"
mvn -B -ntp -pl e2e test -Dtest=NodeE2E -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcodestore.e2e.kubeconfig="$CACHE/kind/kubeconfig" -Dcodestore.e2e.host="$gateway"
