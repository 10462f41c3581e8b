#!/usr/bin/env bash
# `make run`: the platform on this machine in one command.
#
# - As root with no reachable cluster in $KUBECONFIG (the default on a fresh machine): a local one-node cluster
#   (local-cluster.sh: control plane, containerd, kubelet, kube-proxy, images built without Docker), Postgres and S3
#   on this host for the external providers, `helm install` of the chart (the operator runs as a pod), examples/
#   applied; prints each instance's GraphQL endpoint with a curl to paste.
# - With a reachable cluster in $KUBECONFIG: installs the CRDs there and runs the operator on this machine.
# - Not root and no cluster: a control plane without a node (instances provision, pods cannot run).
# `make stop` (this script with `stop`) ends every process it started, by pid.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE="${CODESTORE_CACHE:-$HOME/.cache/codestore}"
STATE="$CACHE/local"
BIN="$CACHE/kubernetes-1.20.2/bin"
PIDS="$STATE/pids"
OPERATOR_PORT="${CODESTORE_OPERATOR_PORT:-8089}"

log() { printf '\033[1m[run]\033[0m %s\n' "$*"; }

stop() {
  if [ -f "$PIDS" ]; then
    while read -r name pid; do
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" && log "stopped $name (pid $pid)"
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    done < "$PIDS"
    rm -f "$PIDS"
  else
    log "nothing to stop"
  fi
}

if [ "${1:-}" = "stop" ]; then
  stop
  if [ -f "$CACHE/cluster/pids" ]; then "$ROOT/e2e/scripts/local-cluster.sh" down; fi
  exit 0
fi

. "$ROOT/e2e/scripts/processes.sh" # started, wait_for

start_control_plane() {
  stop >/dev/null
  "$ROOT/e2e/scripts/local-cluster.sh" up --control-plane-only >/dev/null
  export KUBECONFIG="$CACHE/cluster/kubeconfig"
}

"$ROOT/e2e/scripts/build-kubernetes.sh"
KUBECTL="$BIN/kubectl"

build_if_stale() {
  local jar="$ROOT/operator/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$jar" ] || [ ! -f "$ROOT/runtime-image/target/quarkus-app/quarkus-run.jar" ] \
     || [ ! -f "$ROOT/console/target/quarkus-app/quarkus-run.jar" ] \
     || [ ! -f "$ROOT/e2e/target/test-classes/store/code/e2e/LocalPlatform.class" ] \
     || [ -n "$(find "$ROOT"/{api,schema,sdk,operator,runtime-image,console,e2e}/src "$ROOT/charts" -newer "$jar" -type f | head -1)" ]; then
    log "building (mvn install -DskipTests)"
    (cd "$ROOT" && mvn -B -ntp -q install -DskipTests)
  fi
}

run_on_local_node() {
  build_if_stale
  stop >/dev/null
  mkdir -p "$STATE"
  "$ROOT/e2e/scripts/local-cluster.sh" up >/dev/null
  export KUBECONFIG="$CACHE/cluster/kubeconfig"
  local cp="$STATE/e2e.classpath" ready="$STATE/providers.ready" host
  (cd "$ROOT" && mvn -B -ntp -q -pl e2e dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null)
  host=$(sed -n 's#.*server: "https://\([^:]*\):.*#\1#p' "$KUBECONFIG")
  rm -f "$ready"
  log "starting Postgres and S3 on this host ($host) for the external providers (log: $STATE/providers.log)"
  (cd "$ROOT/e2e" && exec java -cp "target/test-classes:$(cat "$cp")" store.code.e2e.HostProviders "$host" "$STATE/data" \
    "$ready" > "$STATE/providers.log" 2>&1) &
  local pid=$!
  started providers "$pid"
  for _ in $(seq 60); do
    [ -f "$ready" ] && break
    kill -0 "$pid" 2>/dev/null || { tail -30 "$STATE/providers.log"; log "the providers stopped"; exit 1; }
    sleep 1
  done
  log "installing the chart with Helm, applying examples/, waiting for the pods (log: $STATE/platform.log)"
  (cd "$ROOT/e2e" && java -cp "target/test-classes:$(cat "$cp")" store.code.e2e.LocalPlatform "$KUBECONFIG" \
    > "$STATE/platform.log" 2>&1) || { tail -30 "$STATE/platform.log"; log "installation failed; logs in $STATE"; exit 1; }
  grep -E '^(\[run\]|webshop|API key|    curl|Console|    ey)' "$STATE/platform.log" || true
  local ns ip key
  ns=$("$KUBECTL" get serviceinstances -n acme webshop-cart-dev -o jsonpath='{.status.targetNamespace}')
  ip=$("$KUBECTL" -n "$ns" get svc runtime -o jsonpath='{.spec.clusterIP}')
  key=$("$KUBECTL" -n acme get secret webshop-key -o jsonpath='{.data.key}' | base64 -d)
  cat <<EOF

Everything runs on this machine: a one-node Kubernetes, the operator as a pod (installed with Helm), one runtime pod
per instance, and Postgres and S3 for the providers. Create a cart in the dev instance of the shopping cart, with the
webshop project's API key (ApiKey acme/webshop-key; its Secret holds the key):
  curl -s http://$ip:8080/graphql -H 'Authorization: Bearer $key' -H 'Content-Type: application/json' \\
    -d '{"query":"mutation { createCart(input: {owner: \"ann\"}) { id status } }"}'
Look around:   export KUBECONFIG=$KUBECONFIG
               $KUBECTL get services.code.store,projects,serviceinstances,apikeys -A
               $KUBECTL get pods -A
Stop:          make stop
EOF
  exit 0
}

if [ -n "${KUBECONFIG:-}" ] && "$KUBECTL" get --raw /readyz >/dev/null 2>&1; then
  log "using the cluster in KUBECONFIG ($KUBECONFIG)"
elif [ "$(id -u)" = 0 ]; then
  run_on_local_node
else
  log "not root: starting a control plane without a node (pods will not run; run as root for the whole platform)"
  start_control_plane
fi

build_if_stale

log "installing the CRDs"
"$KUBECTL" apply -f "$ROOT/crds/" >/dev/null

log "starting the operator (log: $STATE/operator.log)"
QUARKUS_HTTP_PORT="$OPERATOR_PORT" CODESTORE_LOG_JSON=false java -jar "$ROOT/operator/target/quarkus-app/quarkus-run.jar" > "$STATE/operator.log" 2>&1 &
started operator $!
wait_for "the operator" 60 curl -sf "http://127.0.0.1:$OPERATOR_PORT/q/health/ready"

log "applying examples/"
"$KUBECTL" apply -f "$ROOT/examples/" >/dev/null
sleep 5

echo
"$KUBECTL" get services.code.store,projects,serviceinstances -A
echo
"$KUBECTL" get serviceinstance -n acme webshop-cart-dev -o jsonpath='{range .status.conditions[*]}{.type}{"\t"}{.status}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}' | column -t -s $'\t' || true
cat <<EOF

The operator runs; metrics at http://127.0.0.1:$OPERATOR_PORT/q/metrics, its log in $STATE/operator.log.
Look around:   export KUBECONFIG=${KUBECONFIG}
               $KUBECTL get serviceinstances -A
               $KUBECTL describe serviceinstance -n acme webshop-cart-dev
Stop:          make stop
EOF
