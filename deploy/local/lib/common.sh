# shellcheck shell=bash
# Shared by deploy/local/{up,down,status,env.sh}: settings, paths, logging, process helpers.
# Sourced, never executed. Every engine file (lib/<engine>.sh) builds on these helpers.

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# --- settings -----------------------------------------------------------------------------

# Load versions.env without clobbering what the caller exported: `KAFKA_PORT=19092 up` wins.
load_versions() {
  local line key value
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    key="${line%%=*}"
    value="${line#*=}"
    [[ -z "${!key:-}" ]] && export "$key=$value"
  done <"$LOCAL_DIR/versions.env"
}
load_versions

# Outside the clone on purpose: the cache survives `rm -rf` of the repo and is shared by
# every clone; the state lets a fresh clone's `down` stop engines an older clone started.
SLUICE_CACHE="${SLUICE_CACHE:-$HOME/.cache/sluice}"
SLUICE_STATE="${SLUICE_STATE:-$HOME/.cache/sluice/state}"
# shellcheck disable=SC2034 # used by the scripts that source this file
ENGINES_CACHE="$SLUICE_CACHE/engines"
export SLUICE_CACHE SLUICE_STATE

# --- output -------------------------------------------------------------------------------

say() { printf '%s %-10s %s\n' "$(date +%H:%M:%S)" "$1" "$2"; }
# Prints only; callers `return 1` themselves, after showing logs (a failing function here
# would end a `set -e` subshell before the logs are shown).
say_failed() { say "$1" "FAILED: $2" >&2; }

# Print the last lines of an engine's log so a failed start explains itself; with <from
# byte>, only what was written since (logs are appended to across starts).
show_log_tail() {
  local engine="$1" file="$2" lines="${3:-40}" from="${4:-0}"
  [[ -f "$file" && "$(log_size "$file")" -gt "$from" ]] || return 0
  echo "----- $engine: last $lines lines of $file -----" >&2
  tail -c "+$((from + 1))" "$file" | tail -n "$lines" >&2
  echo "-----" >&2
}

log_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# --- java and maven -----------------------------------------------------------------------

java_major() { "$1/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+)(\.[^"]*)?".*/\1/p'; }

# JAVA_HOME for the engines: SLUICE_JAVA_HOME, then JAVA_HOME, then `java` on PATH, then any
# JDK under /usr/lib/jvm; the first one that is at least JAVA_MIN_VERSION.
find_java_home() {
  local candidate major
  local candidates=("${SLUICE_JAVA_HOME:-}" "${JAVA_HOME:-}")
  if command -v java >/dev/null; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  candidates+=(/usr/lib/jvm/*)
  for candidate in "${candidates[@]}"; do
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    major="$(java_major "$candidate")"
    if [[ -n "$major" && "$major" -ge "$JAVA_MIN_VERSION" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "no Java $JAVA_MIN_VERSION+ found: install openjdk-17-jre-headless or set SLUICE_JAVA_HOME" >&2
  return 1
}

# Run the Maven dependency plugin (pinned, so a cold ~/.m2 behaves like a warm one).
mvn_dependency() {
  local goal="$1"
  shift
  command -v mvn >/dev/null || {
    echo "mvn not found: install Maven (apt-get install -y maven)" >&2
    return 1
  }
  # Debian's Maven 3.8 prints bare colour resets even with -q -B; strip them so a quiet
  # success prints nothing and a failure prints readable [ERROR] lines (pipefail keeps
  # Maven's exit status).
  mvn -q -B "org.apache.maven.plugins:maven-dependency-plugin:${MAVEN_DEPENDENCY_PLUGIN_VERSION}:${goal}" "$@" \
    2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
}

# Fetch into a temporary sibling and rename it into place only when complete, so an
# interrupted download is retried next time instead of being mistaken for a cached engine.
# Usage: cache_install <final dir> <function that fills the directory given as $1>
cache_install() {
  local final="$1" filler="$2" tmp
  [[ -d "$final" ]] && return 0
  mkdir -p "$(dirname "$final")"
  tmp="$(mktemp -d "$final.partial.XXXXXX")"
  if ! "$filler" "$tmp"; then
    rm -rf "$tmp"
    return 1
  fi
  mv "$tmp" "$final"
}

# --- processes ------------------------------------------------------------------------------

# Every JVM we start carries -Dsluice.engine=<name> -Dsluice.state=<state dir>, so a pid
# (from a pid file, or found by scanning) is only ever signalled when it is really ours.
engine_marker_args() { echo "-Dsluice.engine=$1 -Dsluice.state=$SLUICE_STATE"; }

pid_is_engine() {
  local pid="$1" engine="$2" cmdline
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"-Dsluice.engine=$engine "* && "$cmdline" == *"-Dsluice.state=$SLUICE_STATE "* ]]
}

# Pids of this state dir's engine, from the pid file first, then any stray one (e.g. the
# pid file was removed by hand).
engine_pids() {
  local engine="$1" pidfile="$SLUICE_STATE/$1/$1.pid" pid dir
  if [[ -f "$pidfile" ]]; then
    pid="$(cat "$pidfile")"
    pid_is_engine "$pid" "$engine" && echo "$pid"
  fi
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [[ -f "$pidfile" && "$pid" == "$(cat "$pidfile")" ]] && continue
    pid_is_engine "$pid" "$engine" && echo "$pid"
  done
  return 0
}

engine_pid() { engine_pids "$1" | head -n 1; }

# Start a command detached from this shell: its own session (a Ctrl-C on `up` or the test
# runner killing its process group must not take the engines down), stdin closed, output
# appended to a log. Writes the pid file. The command must exec into the JVM (no fork), so
# that the pid we record is the JVM's.
start_detached() {
  local engine="$1" log="$2"
  shift 2
  # Not a process-group leader here (no job control), so setsid execs without forking.
  # 9>&- : fd 9 is deploy/local/up's lock; an engine inheriting it would hold it forever.
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  echo "$!" >"$SLUICE_STATE/$engine/$engine.pid"
}

# SIGTERM, wait up to <timeout> seconds for exit, then SIGKILL.
stop_pid() {
  local engine="$1" pid="$2" timeout="${3:-30}" waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= timeout * 5)); then
      say "$engine" "still running after ${timeout}s, sending SIGKILL to $pid"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
}

rss_mib() { awk '/VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# --- waiting ------------------------------------------------------------------------------

# Poll <check> every half second until it succeeds, <timeout> seconds pass, or <pid> dies.
wait_healthy() {
  local engine="$1" pid="$2" timeout="$3" check="$4" started=$SECONDS
  until "$check"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid exited during start-up" >&2
      return 1
    fi
    if ((SECONDS - started >= timeout)); then
      echo "not healthy after ${timeout}s" >&2
      return 1
    fi
    sleep 0.5
  done
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
