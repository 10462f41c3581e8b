# Sourced by local-cluster.sh and run-local.sh: recording the processes they start and waiting for them.
# The caller defines PIDS (the pid file), STATE (where logs go) and log().

started() { echo "$1 $2" >> "$PIDS"; } # name, pid: what `stop`/`down` will end

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
