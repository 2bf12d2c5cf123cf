#!/usr/bin/env bash
# Runs `molecule test` in each role folder given, JOBS at a time. Each scenario writes to a log of its own, printed
# whole when the scenario ends, so that two scenarios' output never interleave. Exits non-zero when any failed,
# after every scenario has run, and names the failed ones.
set -uo pipefail
jobs=${1:?usage: molecule-all.sh JOBS ROLE_DIR...}
shift
logs=$(pwd)/.work/molecule-logs
mkdir -p "$logs"

run_one() {
  local role_dir=$1 role log status
  role=$(basename "$role_dir")
  log="$LOGS/$role.log"
  start=$SECONDS
  (cd "$role_dir" && "$BIN/molecule" test) >"$log" 2>&1
  status=$?
  {
    echo "== molecule test: $role_dir (exit $status, $((SECONDS - start)) s)"
    cat "$log"
  } | flock "$LOGS/.print" cat
  [ "$status" -eq 0 ] || echo "$role" >>"$LOGS/.failed"
  return 0
}
export -f run_one
export LOGS=$logs BIN=${BIN:?}
rm -f "$logs/.failed"
printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c 'run_one "$1"' _ {}
if [ -s "$logs/.failed" ]; then
  echo "molecule: failed scenarios: $(tr '\n' ' ' <"$logs/.failed")"
  exit 1
fi
echo "molecule: $# scenarios passed"
