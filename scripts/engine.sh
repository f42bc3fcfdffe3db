#!/usr/bin/env bash
# Build, start, stop and wait for the development workflow engine (engine/: Camunda 7 REST on H2).
#
#   scripts/engine.sh start   [--port N] [--data DIR]   build if needed, start in the background, wait, print the URL
#   scripts/engine.sh stop    [--port N] [--data DIR]   stop the engine started from DIR on port N
#   scripts/engine.sh status  [--port N] [--data DIR]   print the URL and exit 0 if it answers, else exit 1
#   scripts/engine.sh wait    [--port N]                wait until it answers (DATAOPS_ENGINE_WAIT seconds, 240)
#   scripts/engine.sh build                             build engine/target/dataops-engine.jar if sources changed
#   scripts/engine.sh run     [--port N] [--data DIR]   run in the foreground
#
# Every command is idempotent: start on a running engine prints its URL, stop on a stopped one does nothing.
# Environment: DATAOPS_ENGINE_PORT (8080), DATAOPS_ENGINE_DATA (~/.local/share/dataops/engine: the H2 database,
# the pid file and engine.log), DATAOPS_ENGINE_USER + DATAOPS_ENGINE_PASSWORD (turn on basic auth with that user).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/engine/target/dataops-engine.jar"
PORT="${DATAOPS_ENGINE_PORT:-8080}"
DATA="${DATAOPS_ENGINE_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/dataops/engine}"
WAIT="${DATAOPS_ENGINE_WAIT:-240}"

cmd="${1:-}"
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    *) echo "engine.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

URL="http://127.0.0.1:$PORT/engine-rest"
PIDFILE="$DATA/engine-$PORT.pid"
LOG="$DATA/engine-$PORT.log"

answers() {
  # Any HTTP answer from /version counts (401 when basic auth is on): the engine is up and deployed.
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/version" || true)"
  [ "$code" = "200" ] || [ "$code" = "401" ]
}

our_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

build() {
  command -v java >/dev/null || { echo "engine.sh: Java 17+ is needed to build and run the engine" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "engine.sh: Maven is needed to build the engine" >&2; exit 1; }
  # Rebuild only when the pom, the Java sources or the sample processes are newer than the jar.
  if [ -f "$JAR" ] && [ -z "$(find "$ROOT/engine/pom.xml" "$ROOT/engine/src" "$ROOT/processes" -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
    return 0
  fi
  echo "engine.sh: building the engine (the first build downloads about 90 MB from Maven Central)" >&2
  (cd "$ROOT/engine" && mvn -q -B package -DskipTests >&2)
}

java_args() {
  # Faster start on small machines: C1 compiler only, serial GC.
  echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
}

export_auth() {
  if [ -n "${DATAOPS_ENGINE_USER:-}" ]; then
    [ -n "${DATAOPS_ENGINE_PASSWORD:-}" ] || { echo "engine.sh: DATAOPS_ENGINE_USER needs DATAOPS_ENGINE_PASSWORD" >&2; exit 2; }
    export SPRING_PROFILES_ACTIVE=basic-auth
  fi
}

wait_ready() {
  local pid="${1:-}" waited=0
  until answers; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "engine.sh: the engine stopped while starting; the end of $LOG:" >&2
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    if [ "$waited" -ge "$WAIT" ]; then
      echo "engine.sh: the engine did not answer at $URL within ${WAIT}s; see $LOG" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

start() {
  if answers; then
    echo "$URL"
    return 0
  fi
  if pid="$(our_pid)"; then
    wait_ready "$pid"
    echo "$URL"
    return 0
  fi
  build
  mkdir -p "$DATA"
  export_auth
  # shellcheck disable=SC2046
  DATAOPS_ENGINE_DATA="$DATA" PORT="$PORT" nohup java $(java_args) -jar "$JAR" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready "$!"
  echo "$URL"
}

stop() {
  local pid waited=0
  if ! pid="$(our_pid)"; then
    rm -f "$PIDFILE"
    return 0
  fi
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 30 ]; then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$PIDFILE"
}

case "$cmd" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  wait) wait_ready ""; echo "$URL" ;;
  status) if answers; then echo "$URL"; else echo "engine.sh: no engine answers at $URL" >&2; exit 1; fi ;;
  run)
    build
    mkdir -p "$DATA"
    export_auth
    echo "engine.sh: $URL" >&2
    # shellcheck disable=SC2046
    DATAOPS_ENGINE_DATA="$DATA" PORT="$PORT" exec java $(java_args) -jar "$JAR"
    ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
