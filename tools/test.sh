#!/usr/bin/env bash
# Lint the addon, then install it into a fresh database and run its tests with Odoo's own
# test runner (at_install and post_install, browser tours included).
# Fails on any failed test, any test error and any ERROR/CRITICAL line in the server log,
# as Odoo's own CI does. Ends with one line: "N passed, M failed".
set -uo pipefail

# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB=${PQC_TEST_DB:-pqc_test}
TAGS=${PQC_TEST_TAGS:-/$MODULE}
LOG=$LOCAL/test-$DB.log

"$ROOT/tools/setup.sh" || exit 1
"$ROOT/tools/lint.sh" || { echo "lint: 0 passed, 1 failed"; exit 1; }

# Odoo's own modules are installed once into a template database (named after the
# manifest's depends), then each run copies it: the addon is still installed from scratch.
DEPENDS=$("$LOCAL/venv/bin/python" -c "import ast; print(','.join(ast.literal_eval(open('$ROOT/__manifest__.py').read())['depends']))")
# One template per prefix (its filestore lives there) and per list of dependencies.
TEMPLATE=pqc_deps_$(printf '%s %s' "$LOCAL" "$DEPENDS" | sha1sum | cut -c1-10)
db_exists() { psql -lqtA | cut -d'|' -f1 | grep -qx "$1"; }
if ! db_exists "$TEMPLATE" || [ ! -d "$LOCAL/data/filestore/$TEMPLATE" ]; then
  echo "[test] preparing template database $TEMPLATE with $DEPENDS"
  dropdb --if-exists "$TEMPLATE" >/dev/null
  dropdb --if-exists "$TEMPLATE.tmp" >/dev/null
  "${ODOO[@]}" -d "$TEMPLATE.tmp" -i "$DEPENDS" --stop-after-init --log-level warn >"$LOCAL/template.log" 2>&1 \
    || { tail -50 "$LOCAL/template.log"; echo "$MODULE: 0 passed, 1 failed"; exit 1; }
  psql -q -d postgres -c "ALTER DATABASE \"$TEMPLATE.tmp\" RENAME TO \"$TEMPLATE\""
  mkdir -p "$LOCAL/data/filestore/$TEMPLATE.tmp"  # in case nothing was stored
  rm -rf "$LOCAL/data/filestore/$TEMPLATE" && mv "$LOCAL/data/filestore/$TEMPLATE.tmp" "$LOCAL/data/filestore/$TEMPLATE"
fi
dropdb --if-exists "$DB" >/dev/null
createdb -T "$TEMPLATE" "$DB"
rm -rf "$LOCAL/data/filestore/$DB" && cp -r "$LOCAL/data/filestore/$TEMPLATE" "$LOCAL/data/filestore/$DB"
echo "[test] installing $MODULE into a fresh database '$DB' and running tests tagged $TAGS"
"${ODOO[@]}" -d "$DB" -i "$MODULE" --test-enable --test-tags "$TAGS" --stop-after-init \
  --http-port "${PQC_TEST_PORT:-8169}" --log-level info 2>&1 | tee "$LOG" \
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
