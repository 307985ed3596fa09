#!/usr/bin/env bash
# Starts one throwaway PostgreSQL 15 server for a whole test run and exports GATEWAY_TEST_POSTGRES, which
# Gateway.Testing.Postgres.PostgresServer then uses (one fresh database per test fixture) instead of starting its
# own server per fixture.
#
# Source it:   . tests/Gateway.Testing/Postgres/start-postgres.sh
# It defines   gateway_test_postgres_stop   (stops the server and deletes its directory) and, unless the caller
# already has an EXIT trap or sets GATEWAY_TEST_POSTGRES_NO_TRAP=1, installs it as the EXIT trap.
# Optional:    PGBIN (default /usr/lib/postgresql/15/bin), PGPORT (default: a free port from 20000-60000).
# Postgres refuses to run as root: as root the server runs as user postgres via runuser.

gateway_test_postgres_start() {
    local pgbin="${PGBIN:-/usr/lib/postgresql/15/bin}"
    local root port attempt
    root="$(mktemp -d /tmp/gw-pg-ci.XXXXXX)" || return 1
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$root" || return 1
    fi
    GATEWAY_TEST_POSTGRES_ROOT="$root"

    if ! _gateway_as_postgres "$pgbin/initdb" -D "$root/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$root/initdb.log" 2>&1; then
        echo "start-postgres: initdb failed:" >&2
        tail -n 20 "$root/initdb.log" >&2
        return 1
    fi

    for attempt in 1 2 3 4 5; do
        port="${PGPORT:-$(_gateway_free_port)}"
        if _gateway_as_postgres "$pgbin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 start \
            -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
            >/dev/null 2>&1; then
            export GATEWAY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
            export GATEWAY_TEST_POSTGRES_ROOT
            echo "start-postgres: PostgreSQL on 127.0.0.1:$port (data in $root)" >&2
            return 0
        fi
        [ -n "${PGPORT:-}" ] && break
    done

    echo "start-postgres: Postgres did not start within 60 s; server log tail:" >&2
    tail -n 20 "$root/server.log" >&2 2>/dev/null
    return 1
}

gateway_test_postgres_stop() {
    local pgbin="${PGBIN:-/usr/lib/postgresql/15/bin}"
    local root="${GATEWAY_TEST_POSTGRES_ROOT:-}"
    [ -n "$root" ] || return 0
    if [ -f "$root/data/postmaster.pid" ]; then
        _gateway_as_postgres "$pgbin/pg_ctl" -D "$root/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            _gateway_as_postgres "$pgbin/pg_ctl" -D "$root/data" -m immediate -w -t 10 stop >/dev/null 2>&1
    fi
    rm -rf "$root"
    unset GATEWAY_TEST_POSTGRES GATEWAY_TEST_POSTGRES_ROOT
}

_gateway_as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        (cd /tmp && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# A port nobody listens on: bash cannot bind port 0, so probe random ports with a connect attempt.
_gateway_free_port() {
    local candidate
    while :; do
        candidate=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
}

if gateway_test_postgres_start; then
    if [ "${GATEWAY_TEST_POSTGRES_NO_TRAP:-0}" != 1 ] && [ -z "$(trap -p EXIT)" ]; then
        trap gateway_test_postgres_stop EXIT
    fi
else
    gateway_test_postgres_stop
    # Sourced: report failure to the caller without exiting its shell; executed: exit non-zero.
    return 1 2>/dev/null || exit 1
fi
