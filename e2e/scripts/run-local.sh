#!/usr/bin/env bash
# `make run`: the platform on this machine in one command.
#
# With a reachable cluster in $KUBECONFIG it uses that cluster. Otherwise it starts a local control
# plane (etcd, kube-apiserver, kube-controller-manager; Kubernetes 1.20.2 built by
# build-kubernetes.sh), then installs the CRDs, starts the operator, applies examples/ and prints
# where things stand. `make stop` (this script with `stop`) ends the processes it started, by pid.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE="${CODESTORE_CACHE:-$HOME/.cache/codestore}"
STATE="$CACHE/local"
BIN="$CACHE/kubernetes-1.20.2/bin"
PIDS="$STATE/pids"
API_PORT="${CODESTORE_API_PORT:-6443}"
OPERATOR_PORT="${CODESTORE_OPERATOR_PORT:-8089}"

log() { printf '\033[1m[run]\033[0m %s\n' "$*"; }

stop() {
  if [ -f "$PIDS" ]; then
    while read -r name pid; do
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" && log "stopped $name (pid $pid)"
      fi
    done < "$PIDS"
    rm -f "$PIDS"
  else
    log "nothing to stop"
  fi
}

if [ "${1:-}" = "stop" ]; then
  stop
  exit 0
fi

started() { echo "$1 $2" >> "$PIDS"; }

wait_for() { # description, seconds, command...
  local what=$1 secs=$2
  shift 2
  for _ in $(seq "$secs"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  log "gave up waiting for $what; logs are in $STATE"
  exit 1
}

start_control_plane() {
  mkdir -p "$STATE"
  stop >/dev/null
  rm -rf "$STATE/etcd"
  if [ ! -f "$STATE/sa.key" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$STATE/sa.key" -out "$STATE/sa.crt" -subj /CN=service-accounts -days 3650 2>/dev/null
  fi
  local token
  token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  echo "$token,admin,admin,system:masters" > "$STATE/tokens.csv"
  cat > "$STATE/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "https://127.0.0.1:$API_PORT", insecure-skip-tls-verify: true}}]
users: [{name: admin, user: {token: "$token"}}]
contexts: [{name: local, context: {cluster: local, user: admin}}]
current-context: local
EOF
  log "starting etcd"
  etcd --data-dir "$STATE/etcd" --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 > "$STATE/etcd.log" 2>&1 &
  started etcd $!
  log "starting kube-apiserver on https://127.0.0.1:$API_PORT"
  "$BIN/kube-apiserver" --etcd-servers http://127.0.0.1:2379 --secure-port "$API_PORT" --bind-address 127.0.0.1 \
    --cert-dir "$STATE/certs" --token-auth-file "$STATE/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$STATE/sa.crt" \
    --service-account-signing-key-file "$STATE/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
    > "$STATE/kube-apiserver.log" 2>&1 &
  started kube-apiserver $!
  export KUBECONFIG="$STATE/kubeconfig"
  wait_for "the API server" 60 "$BIN/kubectl" get --raw /readyz
  log "starting kube-controller-manager (namespace deletion, garbage collection)"
  "$BIN/kube-controller-manager" --kubeconfig "$STATE/kubeconfig" --leader-elect=false \
    --service-account-private-key-file "$STATE/sa.key" --controllers namespace,garbagecollector,deployment,replicaset \
    --bind-address 127.0.0.1 --secure-port 10257 > "$STATE/kube-controller-manager.log" 2>&1 &
  started kube-controller-manager $!
}

"$ROOT/e2e/scripts/build-kubernetes.sh"
KUBECTL="$BIN/kubectl"

if [ -n "${KUBECONFIG:-}" ] && "$KUBECTL" get --raw /readyz >/dev/null 2>&1; then
  log "using the cluster in KUBECONFIG ($KUBECONFIG)"
else
  start_control_plane
fi

if [ ! -f "$ROOT/operator/target/quarkus-app/quarkus-run.jar" ] || [ -n "$(find "$ROOT/api/src" "$ROOT/schema/src" "$ROOT/operator/src" -newer "$ROOT/operator/target/quarkus-app/quarkus-run.jar" -type f | head -1)" ]; then
  log "building the operator"
  (cd "$ROOT" && mvn -B -ntp -q install -DskipTests)
fi

log "installing the CRDs"
"$KUBECTL" apply -f "$ROOT/crds/" >/dev/null

log "starting the operator (log: $STATE/operator.log)"
QUARKUS_HTTP_PORT="$OPERATOR_PORT" java -jar "$ROOT/operator/target/quarkus-app/quarkus-run.jar" > "$STATE/operator.log" 2>&1 &
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
