#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benches: Debian's server, run by a non-root user, listening
# only on a Unix socket in a temporary folder (and on a loopback port, for clients that need TCP).
#
#   eval "$(Scripts/postgres-cluster.sh start)"   # prints `export WARDWATCH_TEST_POSTGRES=postgresql://…`
#   Scripts/postgres-cluster.sh stop              # stops the server and deletes the cluster
#
# Installs the `postgresql` package when its binaries are missing (needs root and apt). The cluster lives in
# $WARDWATCH_PG_DIR (default: /tmp/wardwatch-pg); its state is removed by `stop`. When the script runs as root,
# initdb and the server run as the `postgres` system user (created when missing): initdb refuses root.
set -euo pipefail

DIR=${WARDWATCH_PG_DIR:-/tmp/wardwatch-pg}
PORT=${WARDWATCH_PG_PORT:-54329}
DATABASE=wardwatch
ROLE=wardwatch

find_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z "$found" ]] && command -v initdb >/dev/null 2>&1; then found=$(dirname "$(command -v initdb)"); fi
    echo "$found"
}

install_server() {
    if [[ -n "$(find_bin)" ]]; then return; fi
    echo "postgres-cluster: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
}

# Runs a command as the cluster's owner: ourselves when not root, else the `postgres` system user.
as_owner() {
    if [[ $(id -u) -ne 0 ]]; then "$@"; return; fi
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    # runuser keeps no root privileges and needs no password.
    runuser -u postgres -- "$@"
}

start() {
    install_server
    local bin
    bin=$(find_bin)
    if [[ -z "$bin" ]]; then echo "postgres-cluster: no PostgreSQL binaries after installing" >&2; exit 1; fi
    if [[ -f "$DIR/data/postmaster.pid" ]]; then
        echo "postgres-cluster: a cluster is running in $DIR already; reusing it" >&2
    else
        rm -rf "$DIR"
        mkdir -p "$DIR/socket"
        if [[ $(id -u) -eq 0 ]]; then as_owner true; chown -R postgres "$DIR"; fi
        chmod 700 "$DIR"
        as_owner "$bin/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
        # Throwaway data: durability off makes tests and benches measure WardWatch, not this disk.
        # (BENCHMARKS.md says which figures ran with it; `fsync=on` is PostgreSQL's default elsewhere.)
        local fsync=${WARDWATCH_PG_FSYNC:-off}
        as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
            -o "-k $DIR/socket -p $PORT -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=$fsync \
                -c synchronous_commit=$([[ $fsync == off ]] && echo off || echo on) -c full_page_writes=$fsync \
                -c shared_buffers=256MB" start >/dev/null
        as_owner "$bin/psql" -h "$DIR/socket" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
            -c "CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE' CREATEDB" \
            -c "CREATE DATABASE $DATABASE OWNER $ROLE" >/dev/null
    fi
    # The socket folder is the host (URL-encoded); postgres-nio and psql both read it.
    echo "export WARDWATCH_TEST_POSTGRES=postgresql://$ROLE:$ROLE@127.0.0.1:$PORT/$DATABASE"
    echo "export WARDWATCH_TEST_POSTGRES_SOCKET=$DIR/socket/.s.PGSQL.$PORT"
}

stop() {
    local bin
    bin=$(find_bin)
    if [[ -n "$bin" && -f "$DIR/data/postmaster.pid" ]]; then
        as_owner "$bin/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
