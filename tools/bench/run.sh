#!/usr/bin/env bash
# Benchmark the addon against plain Odoo 19 with the same dependencies and the same data.
#   tools/bench/run.sh [--bench-size=smoke|full] [--no-targets-fail] [--only=scenario,...] [--repeats=N]
# Builds (or reuses) two databases from the dependency template of tools/test.sh, the plain one
# and one with the addon installed, fills both with the same data (tools/bench/generate.py),
# then measures (tools/bench/scenarios.py) and writes a Markdown table: benchmarks/RESULTS.md for
# the full size, $PREFIX/bench/RESULTS-smoke-<db prefix>.md for the smoke size.
# Built databases are cached under a hash of the generator (and, for the addon one, of the
# addon's source): a rerun on unchanged code only measures.
set -euo pipefail

# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
SIZE=full
EXTRA=()
for arg in "$@"; do
  case $arg in
    --bench-size=*) SIZE=${arg#*=} ;;
    --no-targets-fail) EXTRA+=(--no-targets-fail) ;;
    --only=*) EXTRA+=(--only "${arg#*=}") ;;
    --repeats=*) EXTRA+=(--repeats "${arg#*=}") ;;
    *) echo "usage: $0 [--bench-size=smoke|full] [--no-targets-fail] [--only=a,b] [--repeats=N]" >&2; exit 2 ;;
  esac
done
case $SIZE in smoke | full) ;; *) echo "[bench] unknown size $SIZE" >&2; exit 2 ;; esac

"$ROOT/tools/setup.sh" >/dev/null || exit 1
PY=("$LOCAL/venv/bin/python")
export PYTHONPATH="$LOCAL/odoo/src${PYTHONPATH:+:$PYTHONPATH}"
BENCH=$ROOT/tools/bench
mkdir -p "$LOCAL/bench"

# The dependency template of tools/test.sh (shared with it): computes TEMPLATE.
template_name

# Cache keys: the generator for both databases, plus the addon's source for the addon one.
GEN_HASH=$( (echo "$SIZE $TEMPLATE"; cat "$BENCH"/generate.py "$BENCH"/clone.py "$BENCH"/adapter.py) | sha1sum | cut -c1-8)
ADDON_HASH=$( (echo "$GEN_HASH"; cd "$ROOT" && git ls-files --cached --others --exclude-standard \
  | grep -vE '^(tools|benchmarks|tests)/|^README' | sort | xargs cat) | sha1sum | cut -c1-8)
# PQC_BENCH_PREFIX keeps parallel runs apart (tools/test.sh passes its own database name).
PREFIX=${PQC_BENCH_PREFIX:-pqc_bench}
PLAIN_DB=${PREFIX}_plain_${SIZE}_$GEN_HASH
ADDON_DB=${PREFIX}_addon_${SIZE}_$ADDON_HASH

build() {  # build <db> <install addon: yes|no>
  local db=$1 tmp=$1_tmp log=$LOCAL/bench/$1.log
  if db_exists "$db"; then echo "[bench] reusing $db"; return; fi
  # Older builds of the same kind and size are stale: drop them.
  for old in $(psql -lqtA | cut -d'|' -f1 | grep -E "^${db%_*}_[0-9a-f]+(_tmp)?$" || true); do
    dropdb "$old" && rm -rf "$LOCAL/data/filestore/$old"
  done
  echo "[bench] building $db (log: $log)"
  clone_template "$tmp" || exit 1
  if [ "$2" = yes ]; then
    "${ODOO[@]}" -d "$tmp" -i "$MODULE" --stop-after-init --log-level warn >"$log" 2>&1 \
      || { tail -40 "$log"; exit 1; }
  fi
  "${PY[@]}" "$BENCH/bench.py" generate -c "$CONF" -d "$tmp" --size "$SIZE" >>"$log" 2>&1 \
    || { tail -40 "$log"; exit 1; }
  tail -1 "$log" | cut -c1-200
  psql -q -d postgres -c "ALTER DATABASE \"$tmp\" RENAME TO \"$db\""
  rm -rf "$LOCAL/data/filestore/$db" && mv "$LOCAL/data/filestore/$tmp" "$LOCAL/data/filestore/$db"
}
start=$SECONDS
build "$PLAIN_DB" no &
plain_pid=$!
build "$ADDON_DB" yes
wait "$plain_pid"
echo "[bench] databases ready in $((SECONDS - start)) s"

if [ "$SIZE" = full ]; then OUT=$ROOT/benchmarks/RESULTS.md; else OUT=$LOCAL/bench/RESULTS-smoke-$PREFIX.md; fi
mkdir -p "$(dirname "$OUT")"
"${PY[@]}" "$BENCH/bench.py" measure -c "$CONF" --plain "$PLAIN_DB" --addon "$ADDON_DB" --size "$SIZE" \
  --output "$OUT" "${EXTRA[@]}"
