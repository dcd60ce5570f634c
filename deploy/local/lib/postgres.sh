# shellcheck shell=bash
# PostgreSQL: use the server already answering on PG_HOST:PG_PORT (most machines have one);
# otherwise install Debian's package and run a cluster of our own on that port. Either way
# make sure the test database exists.

POSTGRES_STATE="$SLUICE_STATE/postgres"
# Present only when `up` started a cluster; then `down` stops it. Holds "<version> <name>".
POSTGRES_OWNED="$POSTGRES_STATE/started-by-sluice"
POSTGRES_START_TIMEOUT="${POSTGRES_START_TIMEOUT:-60}"

postgres_address() { echo "$PG_HOST:$PG_PORT"; }

postgres_url() {
  local db="${1:-$PG_DATABASE}"
  echo "postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$db"
}

postgres_healthy() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 2>/dev/null; }

postgres_ensure_database() {
  local exists
  exists="$(psql "$(postgres_url postgres)" -XAtc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" || return 1
  [[ "$exists" == 1 ]] && return 0
  psql "$(postgres_url postgres)" -Xqc "CREATE DATABASE \"$PG_DATABASE\"" && say postgres "created database $PG_DATABASE"
}

# The Debian cluster serving PG_PORT, as "<version> <name>", if one exists.
_postgres_cluster_for_port() { pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'; }

_postgres_install() {
  command -v pg_lsclusters >/dev/null && return 0
  [[ "$(id -u)" -eq 0 ]] || {
    echo "no PostgreSQL at $PG_HOST:$PG_PORT and not root: install it (apt-get install -y postgresql)" >&2
    return 1
  }
  say postgres "installing Debian's postgresql package"
  # 9>&- here and below: the server outlives `up` and must not inherit up's lock (fd 9).
  apt-get update -qq 9>&- && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 9>&-
}

postgres_start() {
  local cluster version name
  _postgres_install || return 1
  cluster="$(_postgres_cluster_for_port)"
  if [[ -z "$cluster" ]]; then
    version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)"
    # start.conf manual: the machine's init system leaves it alone; `up`/`down` own it.
    pg_createcluster "$version" sluice --port "$PG_PORT" --start-conf manual >/dev/null || return 1
    cluster="$version sluice"
  fi
  read -r version name <<<"$cluster"
  mkdir -p "$POSTGRES_STATE"
  pg_ctlcluster "$version" "$name" start 9>&- || return 1
  echo "$version $name" >"$POSTGRES_OWNED"
  local waited=0
  until postgres_healthy; do
    ((waited++ < POSTGRES_START_TIMEOUT * 2)) || return 1
    sleep 0.5
  done
  # Debian's clusters use peer auth on the socket and passwords on TCP: give PG_USER the
  # password from versions.env so the TCP URL the tests use works.
  local verb=ALTER
  [[ "$(runuser -u postgres -- psql -p "$PG_PORT" -XAtc \
    "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" == 1 ]] || verb=CREATE
  runuser -u postgres -- psql -p "$PG_PORT" -Xqc \
    "$verb ROLE \"$PG_USER\" LOGIN SUPERUSER PASSWORD '$PG_PASSWORD'"
}

postgres_stop() {
  local version name
  [[ -f "$POSTGRES_OWNED" ]] || return 0
  read -r version name <"$POSTGRES_OWNED"
  pg_ctlcluster "$version" "$name" stop -m fast && rm -f "$POSTGRES_OWNED"
}

postgres_log() {
  local version name
  [[ -f "$POSTGRES_OWNED" ]] || return 0
  read -r version name <"$POSTGRES_OWNED"
  echo "/var/log/postgresql/postgresql-$version-$name.log"
}
