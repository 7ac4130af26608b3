#!/usr/bin/env bash
# Lint the addon, check its wheel, then install it into a fresh database and run its tests
# with Odoo's own test runner (at_install and post_install, browser tours included).
# Fails on any failed test, any test error and any ERROR/CRITICAL line in the server log,
# as Odoo's own CI does. Ends with one line: "N passed, M failed".
# The database (pqc_test_<checkout>) and the HTTP port of the browser tests are this
# checkout's own: two checkouts can run their tests at the same time.
set -uo pipefail

# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB=$TEST_DB
TAGS=${PQC_TEST_TAGS:-/$MODULE}
LOG=$LOCAL/test-$DB.log

"$ROOT/tools/setup.sh" || exit 1
"$ROOT/tools/lint.sh" || { echo "lint: 0 passed, 1 failed"; exit 1; }
"$ROOT/tools/wheel.sh" --check || { echo "[test] the wheel check failed"; echo "$MODULE: 0 passed, 1 failed"; exit 1; }
PORT=${PQC_TEST_PORT:-$(free_port "$INSTANCE_PORT")} || exit 1

# A copy of the template with Odoo's own modules: the addon is still installed from scratch.
clone_template "$DB" || { echo "$MODULE: 0 passed, 1 failed"; exit 1; }

echo "[test] installing $MODULE into a fresh database '$DB' (HTTP port $PORT) and running tests tagged $TAGS"
"${ODOO[@]}" -d "$DB" -i "$MODULE" --test-enable --test-tags "$TAGS" --stop-after-init \
  --http-port "$PORT" --log-level info 2>&1 | tee "$LOG" \
  | grep --line-buffered -E ' (ERROR|CRITICAL|WARNING) |odoo\.tests\.(result|stats)|FAIL:|ERROR:|Ran [0-9]+ tests'
odoo_rc=${PIPESTATUS[0]}

summary=$(grep -E '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG" | tail -1)
read -r failed errors total < <(sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/' <<<"$summary")
failed=${failed:-0} errors=${errors:-0} total=${total:-0}
error_lines=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG")
bad=$((failed + errors))
passed=$((total - bad))

status=0
if [ "$odoo_rc" != 0 ]; then echo "[test] odoo exited with $odoo_rc; end of $LOG:"; tail -40 "$LOG"; status=1; fi
if [ "$total" = 0 ]; then echo "[test] no test ran"; status=1; fi
if [ "$error_lines" != 0 ]; then
  echo "[test] $error_lines ERROR/CRITICAL line(s) in the log ($LOG):"
  grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG" | head -20
  [ "$bad" = 0 ] && bad=1
  status=1
fi
[ "$bad" != 0 ] && status=1

# --- Multi-worker concurrency check (tools/concurrency): a real server with 2 workers, ------
# simultaneous confirmations over JSON-RPC for one partner whose limit admits only some.
if [ "$odoo_rc" = 0 ] && [ -z "${PQC_TEST_TAGS:-}" ] && [ "${PQC_CONCURRENCY:-1}" = 1 ]; then
  race_port=$(free_port $((PORT + 2))) || exit 1
  if "$ROOT/tools/concurrency/run.sh" "$DB" "$race_port"; then
    passed=$((passed + 1))
  else
    bad=$((bad + 1)) status=1
  fi
fi

# --- Benchmark smoke run (tools/bench): `make bench` must keep running end to end. -----------
# Skipped when only some tests are run (PQC_TEST_TAGS) or with PQC_BENCH_SMOKE=0.
if [ -z "${PQC_TEST_TAGS:-}" ] && [ "${PQC_BENCH_SMOKE:-1}" = 1 ]; then
  echo "[test] benchmark smoke run (log: $LOCAL/bench-smoke-$DB.log)"
  if ! PQC_BENCH_PREFIX="${DB}_bench" "$ROOT/tools/bench/run.sh" --bench-size=smoke --no-targets-fail \
    >"$LOCAL/bench-smoke-$DB.log" 2>&1; then
    echo "[test] the benchmark smoke run failed; end of its log:"
    tail -20 "$LOCAL/bench-smoke-$DB.log"
    bad=$((bad + 1)) status=1
  fi
fi
# ---------------------------------------------------------------------------------------------

echo "$MODULE: $passed passed, $bad failed"
exit $status
