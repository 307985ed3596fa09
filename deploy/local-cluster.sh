#!/usr/bin/env bash
# Starts a local Gateway Cluster on loopback (DESIGN.md §1, §7): Postgres 15 in a temp dir, the schema migration,
# 2 silos and 2 API front ends in cluster mode. Waits until every process answers /healthz/ready, prints the URLs
# and keys, then runs until Ctrl-C (or SIGTERM), when it stops everything and removes the temp dir.
#
# Settings (environment variables; every one is optional):
#   PGBIN                  Postgres binaries                       (/usr/lib/postgresql/15/bin)
#   PG_PORT                Postgres port                           (first free port from 55432)
#   API_PORTS              HTTP ports of the 2 API front ends      ("4141 4142")
#   SILO_HTTP_PORTS        HTTP ports of the 2 silos (health)      ("8081 8082")
#   SILO_PORTS             Orleans silo-to-silo ports              ("11111 11112")
#   GATEWAY_PORTS          Orleans client gateway ports            ("30000 30001")
#   ADMIN_KEY              admin API key                           (generated)
#   API_KEY                tenant API key                          (generated)
#   ENCRYPTION_KEY         base64 of 32 bytes for secrets at rest  (generated)
#   CLUSTER_ID, SERVICE_ID Orleans cluster identity                (local-<random>, gateway-local)
#   READY_TIMEOUT          seconds to wait for /healthz/ready      (180)
#   APP_DIR                prebuilt output with silo/ and api/ (from `dotnet publish`); skips the build
#   KEEP_TEMP=1            keep the temp dir (logs, database) on exit
# A default port that is taken is replaced by a free one (with a warning): deploy/prometheus/prometheus.yml
# scrapes the default ports, and a prometheus.yml for the ports actually used is written to the temp dir.
# Any other Gateway__* variable in the environment (e.g. Gateway__upstreams__vscodeVersionUrl=) reaches every
# process unchanged.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
READY_TIMEOUT=${READY_TIMEOUT:-180}
CLUSTER_ID=${CLUSTER_ID:-local-$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')}
SERVICE_ID=${SERVICE_ID:-gateway-local}

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

[ -x "$PGBIN/initdb" ] || die "no Postgres binaries in $PGBIN (set PGBIN)"
command -v curl >/dev/null || die "curl is required"
if [ -z "${APP_DIR:-}" ]; then
  command -v dotnet >/dev/null || die "dotnet is required"
fi

# ---------------------------------------------------------------------------------------------------------------
# Ports: a port counts as taken when something accepts a connection on it or this script already handed it out.
# ---------------------------------------------------------------------------------------------------------------
USED_PORTS=" "
port_busy() {
  case "$USED_PORTS" in *" $1 "*) return 0 ;; esac
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
# pick_port NAME WANTED EXPLICIT -> PICKED: WANTED if free; else, unless the user asked for it, the next free port.
pick_port() {
  local name=$1 port=$2 explicit=$3 wanted=$2
  [[ "$port" =~ ^[0-9]+$ ]] || die "$name port must be a number (got '$port')"
  if port_busy "$port"; then
    [ "$explicit" = 1 ] && die "$name port $port is in use"
    while port_busy "$port"; do
      port=$((port + 1))
      [ "$port" -lt 65535 ] || die "no free port for $name"
    done
    [ "$name" = postgres ] || log "warning: $name port $wanted is not free; using $port"
  fi
  USED_PORTS="$USED_PORTS$port "
  PICKED=$port
}
# pick_pair NAME VARIABLE DEFAULT1 DEFAULT2 -> PAIR: two ports, from VARIABLE ("p1 p2") when set.
pick_pair() {
  local name=$1 value=${!2:-} explicit=1 wanted
  [ -n "$value" ] || { value="$3 $4"; explicit=0; }
  read -r -a wanted <<<"$value"
  [ "${#wanted[@]}" -eq 2 ] || die "$2 must hold two ports (got '$value')"
  pick_port "$name 1" "${wanted[0]}" "$explicit"
  PAIR=("$PICKED")
  pick_port "$name 2" "${wanted[1]}" "$explicit"
  PAIR+=("$PICKED")
}

if [ -n "${PG_PORT:-}" ]; then pick_port postgres "$PG_PORT" 1; else pick_port postgres 55432 0; fi
PG_PORT=$PICKED
pick_pair api API_PORTS 4141 4142; API_PORT=("${PAIR[@]}")
pick_pair silo-http SILO_HTTP_PORTS 8081 8082; SILO_HTTP_PORT=("${PAIR[@]}")
pick_pair silo SILO_PORTS 11111 11112; SILO_PORT=("${PAIR[@]}")
pick_pair gateway GATEWAY_PORTS 30000 30001; GATEWAY_PORT=("${PAIR[@]}")

ADMIN_KEY=${ADMIN_KEY:-gw-admin-$(random_hex 24)}
API_KEY=${API_KEY:-sk-local-$(random_hex 24)}
ENCRYPTION_KEY=${ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64)}

# ---------------------------------------------------------------------------------------------------------------
# Temp dir and clean-up. Postgres refuses to run as root, so as root it runs as the `postgres` user.
# ---------------------------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-local.XXXXXX")
mkdir -p "$WORK/logs" "$WORK/pg"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user for the database"
  chmod 0711 "$WORK"
  chown postgres:postgres "$WORK/pg"
fi

PIDS=()
NAMES=()
PG_STARTED=0
CLEANED=0
stop_pid() {
  local pid=$1 name=$2 waited=0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 200 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop within 20 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  [ "$CLEANED" = 1 ] && return
  CLEANED=1
  trap '' INT TERM HUP
  log "stopping"
  # Front ends first (they are clients of the silos), then the silos in reverse order, then the database.
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${PIDS[$i]}" "${NAMES[$i]}"
  done
  if [ "$PG_STARTED" = 1 ]; then
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ "${KEEP_TEMP:-0}" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# tail_log NAME FILE: the end of a log, for when a process failed.
tail_log() { log "last lines of $2:"; tail -n 40 "$2" >&2 || true; }

# ---------------------------------------------------------------------------------------------------------------
# Postgres
# ---------------------------------------------------------------------------------------------------------------
log "starting Postgres on 127.0.0.1:$PG_PORT"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/logs/initdb.log" 2>&1 \
  || { tail_log initdb "$WORK/logs/initdb.log"; die "initdb failed"; }
# The server log lives beside the data dir because the postgres user cannot write to the root-owned logs dir.
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/postgres.log" -w -t 60 start \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" >/dev/null \
  || { tail_log postgres "$WORK/pg/postgres.log"; die "Postgres did not start"; }
PG_STARTED=1
as_pg "$PGBIN/createdb" -h "$WORK/pg" -p "$PG_PORT" -U postgres gateway
POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Database=gateway;Username=postgres"

# ---------------------------------------------------------------------------------------------------------------
# Build once, into the temp dir, so a rebuild in the source tree cannot change the binaries under running processes.
# ---------------------------------------------------------------------------------------------------------------
if [ -n "${APP_DIR:-}" ]; then
  if [ ! -f "$APP_DIR/silo/Gateway.Silo.dll" ] || [ ! -f "$APP_DIR/api/Gateway.Api.dll" ]; then
    die "APP_DIR must contain silo/Gateway.Silo.dll and api/Gateway.Api.dll"
  fi
  APP=$APP_DIR
else
  APP=$WORK/app
  log "building Release (log: $WORK/logs/build.log)"
  for project in silo/Gateway.Silo.csproj api/Gateway.Api.csproj; do
    dotnet publish "$ROOT/$project" -c Release -o "$APP/$(dirname "$project")" --nologo >>"$WORK/logs/build.log" 2>&1 \
      || { tail_log build "$WORK/logs/build.log"; die "build of $project failed"; }
  done
fi

# Settings every process shares (GatewayOptions, `Gateway__` prefix; DESIGN §1).
export Gateway__mode=cluster
export Gateway__host=127.0.0.1
export Gateway__cluster__clusterId=$CLUSTER_ID
export Gateway__cluster__serviceId=$SERVICE_ID
export Gateway__cluster__advertisedIp=127.0.0.1
export Gateway__auth__adminApiKey=$ADMIN_KEY
export Gateway__auth__apiKeys__0=$API_KEY
export Gateway__encryptionKey=$ENCRYPTION_KEY
export ConnectionStrings__Postgres=$POSTGRES
export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1

log "applying the schema (silo migrate)"
dotnet "$APP/silo/Gateway.Silo.dll" migrate >"$WORK/logs/migrate.log" 2>&1 \
  || { tail_log migrate "$WORK/logs/migrate.log"; die "migration failed"; }

# start NAME LOG COMMAND...: a background process whose pid is the process itself (env execs dotnet).
start() {
  local name=$1 logfile=$2
  shift 2
  "$@" >"$logfile" 2>&1 &
  PIDS+=("$!")
  NAMES+=("$name")
}

# wait_ready NAME URL PID LOG: until URL/healthz/ready answers 2xx, the process dies, or READY_TIMEOUT passes.
wait_ready() {
  local name=$1 url=$2 pid=$3 logfile=$4 deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS --max-time 5 -o /dev/null "$url/healthz/ready" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail_log "$name" "$logfile"
      die "$name exited before it was ready"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail_log "$name" "$logfile"
      die "$name was not ready within $READY_TIMEOUT s"
    fi
    sleep 0.5
  done
  log "$name ready at $url"
}

for i in 0 1; do
  n=$((i + 1))
  start "silo-$n" "$WORK/logs/silo-$n.log" env \
    Gateway__port="${SILO_HTTP_PORT[$i]}" \
    Gateway__cluster__siloPort="${SILO_PORT[$i]}" \
    Gateway__cluster__gatewayPort="${GATEWAY_PORT[$i]}" \
    dotnet "$APP/silo/Gateway.Silo.dll"
done
for i in 0 1; do
  wait_ready "silo-$((i + 1))" "http://127.0.0.1:${SILO_HTTP_PORT[$i]}" "${PIDS[$i]}" "$WORK/logs/silo-$((i + 1)).log"
done

for i in 0 1; do
  n=$((i + 1))
  start "api-$n" "$WORK/logs/api-$n.log" env Gateway__port="${API_PORT[$i]}" dotnet "$APP/api/Gateway.Api.dll" start
done
for i in 0 1; do
  wait_ready "api-$((i + 1))" "http://127.0.0.1:${API_PORT[$i]}" "${PIDS[$((i + 2))]}" "$WORK/logs/api-$((i + 1)).log"
done

# A Prometheus configuration for the ports in use (deploy/prometheus/prometheus.yml assumes the defaults).
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: gateway-api
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:${API_PORT[0]}", "127.0.0.1:${API_PORT[1]}"]
  - job_name: gateway-silo
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:${SILO_HTTP_PORT[0]}", "127.0.0.1:${SILO_HTTP_PORT[1]}"]
EOF

cat <<EOF

Gateway Cluster is running (cluster id $CLUSTER_ID, service id $SERVICE_ID).
  API front ends:  http://127.0.0.1:${API_PORT[0]}  http://127.0.0.1:${API_PORT[1]}
  silos (health):  http://127.0.0.1:${SILO_HTTP_PORT[0]}  http://127.0.0.1:${SILO_HTTP_PORT[1]}
  silo ports:      ${SILO_PORT[0]} ${SILO_PORT[1]}    gateway ports: ${GATEWAY_PORT[0]} ${GATEWAY_PORT[1]}
  Postgres:        $POSTGRES
  admin key:       $ADMIN_KEY
  API key:         $API_KEY
  logs:            $WORK/logs/{migrate,silo-1,silo-2,api-1,api-2}.log  $WORK/pg/postgres.log
  prometheus.yml:  $WORK/prometheus.yml
  Grafana env:     GATEWAY_POSTGRES_HOST=127.0.0.1:$PG_PORT GATEWAY_POSTGRES_DB=gateway GATEWAY_POSTGRES_USER=postgres
                   GATEWAY_POSTGRES_SSLMODE=disable GATEWAY_DASHBOARDS_DIR=$ROOT/deploy/grafana/dashboards
                   (see deploy/README.md)

Try:  curl -H 'Authorization: Bearer $API_KEY' http://127.0.0.1:${API_PORT[0]}/v1/models
GitHub accounts: in cluster mode accounts are registered through the admin API (coming with the admin API);
GH_TOKEN is not imported by cluster front ends, so /v1/models answers 503 "No GitHub account configured" until then.
Press Ctrl-C to stop everything.
EOF

# Run until interrupted; stop everything if any process exits on its own.
while :; do
  for i in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      tail_log "${NAMES[$i]}" "$WORK/logs/${NAMES[$i]}.log"
      die "${NAMES[$i]} exited unexpectedly"
    fi
  done
  sleep 1 &
  wait $! || true
done
