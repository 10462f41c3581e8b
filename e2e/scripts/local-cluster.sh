#!/usr/bin/env bash
# A one-node Kubernetes 1.20.2 cluster on this machine, from Debian packages and Debian's Kubernetes source:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler (control plane) and containerd + runc + CNI bridge,
# kubelet, kube-proxy (node). Images are built without Docker (build-images.sh) and imported into containerd.
#
#   local-cluster.sh up     start everything (idempotent: stops what a previous `up` left first); prints KUBECONFIG
#   local-cluster.sh up --control-plane-only   the control plane alone (no root needed; pods are scheduled, never run)
#   local-cluster.sh up --api-server-only      etcd and kube-apiserver alone: no controller acts on what is written
#                                              (the operator benchmark plays the controllers it needs itself)
#   local-cluster.sh down   stop every process `up` started, by the pids it recorded, and remove the pods' network
#
# State and logs: $CODESTORE_CLUSTER_STATE (default ~/.cache/codestore/cluster). Needs root for the node (containerd,
# kubelet). A second cluster beside the first needs its own state folder and ports: CODESTORE_CLUSTER_STATE,
# CODESTORE_API_PORT (6443) and CODESTORE_ETCD_PORT (2379; the next port is etcd's peer port).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE="${CODESTORE_CACHE:-$HOME/.cache/codestore}"
STATE="${CODESTORE_CLUSTER_STATE:-$CACHE/cluster}"
BIN="$CACHE/kubernetes-1.20.2/bin"
PIDS="$STATE/pids"
API_PORT="${CODESTORE_API_PORT:-6443}"
ETCD_PORT="${CODESTORE_ETCD_PORT:-2379}"
POD_CIDR=10.88.0.0/16
SERVICE_CIDR=10.96.0.0/16
SOCK="$STATE/containerd/containerd.sock"
export CONTAINERD_ADDRESS="$SOCK"

log() { printf '\033[1m[cluster]\033[0m %s\n' "$*" >&2; }

stop_recorded() { # every process `up` recorded, in reverse order: node first, etcd last
  [ -f "$PIDS" ] || return 0
  tac "$PIDS" | while read -r name pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      log "stopped $name (pid $pid)"
    fi
  done
  rm -f "$PIDS"
}

down() {
  if [ -f "$PIDS" ] && ! grep -q '^containerd ' "$PIDS"; then # no node: the processes are all there is
    stop_recorded
    return
  fi
  # kubelet first (it would restart what is stopped next), then the containers while containerd can still stop them:
  # their processes outlive containerd and its shims
  if [ -f "$PIDS" ]; then
    { grep -E '^(kubelet|kube-proxy) ' "$PIDS" || true; } | while read -r name pid; do kill "$pid" 2>/dev/null || true; done
    sleep 1
  fi
  if [ -S "$SOCK" ] && ctr --address "$SOCK" version >/dev/null 2>&1; then
    for task in $(ctr --address "$SOCK" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr --address "$SOCK" -n k8s.io tasks kill -a -s SIGKILL "$task" >/dev/null 2>&1 || true
    done
    sleep 1
  fi
  # whatever still runs in a container of this cluster: pods without QoS cgroups live in cgroup /k8s.io/<container>
  if [ -f "$PIDS" ]; then
    for proc in /proc/[0-9]*; do
      if grep -qs ':/k8s.io/' "$proc/cgroup"; then kill -9 "${proc#/proc/}" 2>/dev/null || true; fi
    done
  fi
  stop_recorded
  # containerd-shim processes outlive containerd by design; end the ones of this cluster's containerd
  pkill -f "containerd-shim.*-address $SOCK" 2>/dev/null || true
  # the pods' network namespaces and mounts, and the bridge
  ip link del cni0 2>/dev/null || true
  if [ -d "$STATE/kubelet" ]; then
    { grep -o "$STATE/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  fi
  { grep -o "/run/containerd/[^ ]*\|/run/netns/cni-[^ ]*" /proc/mounts 2>/dev/null || true; } | sort -r \
    | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if iptables-save 2>/dev/null | grep -q KUBE-; then "$BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
}

if [ "${1:-}" = "down" ]; then
  down
  exit 0
fi
usage() { echo "usage: $0 up [--control-plane-only | --api-server-only] | down" >&2; exit 2; }
[ "${1:-}" = "up" ] || usage
NODE=true
CONTROLLERS=true
case "${2:-}" in
  "") ;;
  --control-plane-only) NODE=false ;;
  --api-server-only) NODE=false; CONTROLLERS=false ;;
  *) usage ;;
esac
if $NODE && [ "$(id -u)" != 0 ]; then
  echo "the local node needs root (containerd, kubelet, network namespaces); --control-plane-only does not" >&2
  exit 1
fi

. "$ROOT/e2e/scripts/processes.sh" # started, wait_for

ensure_packages() {
  local missing=()
  for p in containerd runc containernetworking-plugins iptables conntrack; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

if $NODE; then ensure_packages; fi
"$ROOT/e2e/scripts/build-kubernetes.sh"
down
mkdir -p "$STATE"/{containerd,cni,kubelet,pki}
rm -rf "$STATE/etcd"
HOST_IP=$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}' | head -1)
[ -n "$HOST_IP" ] || HOST_IP=$(hostname -I | awk '{print $1}')

# ---- control plane -------------------------------------------------------------------------------------------
if [ ! -f "$STATE/pki/sa.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$STATE/pki/sa.key" -out "$STATE/pki/sa.crt" -subj /CN=service-accounts -days 3650 2>/dev/null
fi
token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
echo "$token,admin,admin,system:masters" > "$STATE/pki/tokens.csv"
cat > "$STATE/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "https://$HOST_IP:$API_PORT", insecure-skip-tls-verify: true}}]
users: [{name: admin, user: {token: "$token"}}]
contexts: [{name: local, context: {cluster: local, user: admin}}]
current-context: local
KC
export KUBECONFIG="$STATE/kubeconfig"
KUBECTL="$BIN/kubectl"

log "starting etcd"
etcd --data-dir "$STATE/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  > "$STATE/etcd.log" 2>&1 &
started etcd $!
log "starting kube-apiserver on https://$HOST_IP:$API_PORT"
"$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" --secure-port "$API_PORT" --bind-address 0.0.0.0 \
  --advertise-address "$HOST_IP" --cert-dir "$STATE/pki/apiserver" --token-auth-file "$STATE/pki/tokens.csv" \
  --authorization-mode Node,RBAC --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$STATE/pki/sa.crt" --service-account-signing-key-file "$STATE/pki/sa.key" \
  --service-cluster-ip-range "$SERVICE_CIDR" --allow-privileged=true --kubelet-preferred-address-types InternalIP \
  > "$STATE/kube-apiserver.log" 2>&1 &
started kube-apiserver $!
wait_for "the API server" 60 "$KUBECTL" get --raw /readyz
if ! $CONTROLLERS; then
  log "API server up (no controllers, no node): export KUBECONFIG=$KUBECONFIG"
  echo "$KUBECONFIG"
  exit 0
fi
log "starting kube-controller-manager and kube-scheduler"
"$BIN/kube-controller-manager" --kubeconfig "$KUBECONFIG" --leader-elect=false --use-service-account-credentials=false \
  --service-account-private-key-file "$STATE/pki/sa.key" --root-ca-file "$STATE/pki/apiserver/apiserver.crt" \
  --bind-address 127.0.0.1 --secure-port 10257 > "$STATE/kube-controller-manager.log" 2>&1 &
started kube-controller-manager $!
"$BIN/kube-scheduler" --kubeconfig "$KUBECONFIG" --leader-elect=false --bind-address 127.0.0.1 --secure-port 10259 \
  > "$STATE/kube-scheduler.log" 2>&1 &
started kube-scheduler $!

if ! $NODE; then
  wait_for "the API server" 60 "$KUBECTL" get --raw /readyz
  log "control plane up (no node): export KUBECONFIG=$KUBECONFIG"
  echo "$KUBECONFIG"
  exit 0
fi

# ---- node ----------------------------------------------------------------------------------------------------
cat > "$STATE/containerd/config.toml" <<TOML
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
[grpc]
  address = "$SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "k8s.gcr.io/pause:3.2"
  # this kind of VM lacks CAP_SYS_RESOURCE: containerd must not raise oom_score_adj
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
TOML
cat > "$STATE/cni/10-codestore.conflist" <<CNI
{"cniVersion": "0.4.0", "name": "codestore", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
CNI
sysctl -qw net.ipv4.ip_forward=1 || true
log "starting containerd"
containerd --config "$STATE/containerd/config.toml" > "$STATE/containerd.log" 2>&1 &
started containerd $!
wait_for "containerd" 30 ctr --address "$SOCK" version
log "building and importing images (no Docker engine)"
"$ROOT/e2e/scripts/build-images.sh"

cat > "$STATE/kubelet.yaml" <<KUBELET
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
readOnlyPort: 0
# a development machine's disk is often fuller than kubelet's defaults allow
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
KUBELET
log "starting kubelet (node local-node, $HOST_IP)"
"$BIN/kubelet" --config "$STATE/kubelet.yaml" --kubeconfig "$KUBECONFIG" --container-runtime remote \
  --container-runtime-endpoint "unix://$SOCK" --root-dir "$STATE/kubelet" --cert-dir "$STATE/pki/kubelet" \
  --hostname-override local-node --node-ip "$HOST_IP" --pod-infra-container-image k8s.gcr.io/pause:3.2 \
  > "$STATE/kubelet.log" 2>&1 &
started kubelet $!
log "starting kube-proxy"
"$BIN/kube-proxy" --kubeconfig "$KUBECONFIG" --hostname-override local-node --proxy-mode iptables --masquerade-all \
  --cluster-cidr "$POD_CIDR" --conntrack-max-per-core 0 --metrics-bind-address 127.0.0.1:10249 \
  --healthz-bind-address 127.0.0.1:10256 > "$STATE/kube-proxy.log" 2>&1 &
started kube-proxy $!
wait_for "the node to be Ready" 90 sh -c "'$KUBECTL' get node local-node -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"
log "cluster up: export KUBECONFIG=$KUBECONFIG"
echo "$KUBECONFIG"
