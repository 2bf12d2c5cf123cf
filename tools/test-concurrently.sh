#!/usr/bin/env bash
# Runs the first command in the foreground and the others beside it at a lower CPU priority (nice 10), each writing
# to a log of its own that is printed whole when it ends. The foreground command is the longest one (the integration
# tests, whose test_site.py file is the critical path); the others fill the cores it leaves idle rather than slow it
# down. Exits non-zero when any failed, after all have ended, and names the failed ones.
#
#   test-concurrently.sh LOG_DIR 'make integration' 'make docs' 'make molecule'
set -uo pipefail
logs=${1:?usage: test-concurrently.sh LOG_DIR FOREGROUND [BACKGROUND...]}
foreground=${2:?usage: test-concurrently.sh LOG_DIR FOREGROUND [BACKGROUND...]}
shift 2
mkdir -p "$logs"
rm -f "$logs"/*.log "$logs"/*.time "$logs"/.failed

# timed FILE COMMAND...: runs COMMAND, writing to FILE its wall time and the CPU time of it and the children it waited
# for (a daemon it started, such as a local cloud, is not counted), e.g. "1027 s wall, 212 s user, 31 s sys". In a
# subshell: this shell's `time` would also count the background commands it reaps meanwhile.
TIMEFORMAT="%0R s wall, %0U s user, %0S s sys"
timed() {
  local file=$1
  shift
  (time "$@" 2>&3) 3>&2 2>"$file"
}

run_logged() {
  local index=$1 command=$2 status
  local log="$logs/$index.log"
  timed "$log.time" nice -n 10 bash -c "$command" >"$log" 2>&1
  status=$?
  {
    # On a line of its own, even when the foreground command is midway through a line (pytest's dots).
    echo
    echo "== $command (exit $status, $(cat "$log.time"))"
    cat "$log"
  } | flock "$logs/.print" cat
  [ "$status" -eq 0 ] || echo "$command" >>"$logs/.failed"
}

pids=()
index=0
for command in "$@"; do
  index=$((index + 1))
  run_logged "$index" "$command" &
  pids+=($!)
done

timed "$logs/foreground.time" bash -c "$foreground"
status=$?
echo "== $foreground (exit $status, $(cat "$logs/foreground.time"))"
[ "$status" -eq 0 ] || echo "$foreground" >>"$logs/.failed"
wait "${pids[@]}"

if [ -s "$logs/.failed" ]; then
  echo "failed: $(paste -sd ';' "$logs/.failed")"
  exit 1
fi
