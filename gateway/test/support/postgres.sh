#!/usr/bin/env bash
# Starts a local PostgreSQL server for the query-store tests and prints the URL to export as AGRITRACE_TEST_PG_URL.
# Debian's `postgresql` package: installed if missing, its default cluster started, a role and a database created.
# Idempotent: run it again and it only checks. Needs root (apt-get, pg_ctlcluster). CI calls it from .ci/run:
#   export AGRITRACE_TEST_PG_URL="$(bash gateway/test/support/postgres.sh)"
set -eu

PG_ROLE="${PG_ROLE:-agritrace}"
PG_PASSWORD="${PG_PASSWORD:-agritrace}"
PG_DATABASE="${PG_DATABASE:-agritrace_test}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_WAIT_SECONDS="${PG_WAIT_SECONDS:-30}"

usage() {
  cat <<USAGE
Usage: $0 [--help]
Ensures a PostgreSQL server runs on this machine with role \$PG_ROLE ($PG_ROLE) and database \$PG_DATABASE
($PG_DATABASE), then prints its URL on stdout (everything else goes to stderr).
USAGE
}
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then usage; exit 0; fi

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

# The newest installed cluster (Debian creates one, "main", when the package is installed).
read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters --no-header | sort -k1,1n | tail -n 1)
if [ -z "${PG_VERSION:-}" ]; then
  PG_VERSION="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
  log "creating cluster $PG_VERSION/main"
  pg_createcluster "$PG_VERSION" main >&2
  read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters --no-header | sort -k1,1n | tail -n 1)
fi
if [ "$PG_STATUS" != "online" ]; then
  log "starting cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
fi

waited=0
until pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; do
  if [ "$waited" -ge "$PG_WAIT_SECONDS" ]; then
    log "PostgreSQL on $PG_HOST:$PG_PORT not ready after ${PG_WAIT_SECONDS}s; see /var/log/postgresql/"
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done

as_postgres() { runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" != "1" ]; then
  log "creating role $PG_ROLE"
  as_postgres -c "CREATE ROLE \"$PG_ROLE\" LOGIN PASSWORD '$PG_PASSWORD' CREATEDB" >&2
fi
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != "1" ]; then
  log "creating database $PG_DATABASE"
  as_postgres -c "CREATE DATABASE \"$PG_DATABASE\" OWNER \"$PG_ROLE\"" >&2
fi

echo "postgres://$PG_ROLE:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DATABASE"
