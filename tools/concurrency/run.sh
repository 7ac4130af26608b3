#!/usr/bin/env bash
# Multi-worker concurrency check: a real Odoo server with --workers on the loopback,
# simultaneous confirmations over JSON-RPC for one partner whose limit admits only some.
# Usage: tools/concurrency/run.sh DB PORT   (DB has the addon installed)
# Bounded: the server is stopped on exit, every request times out, the whole run < 5 min.
set -uo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
DB=$1 PORT=$2
WORKERS=${PQC_RACE_WORKERS:-2}
HERE=$ROOT/tools/concurrency
LOG=$LOCAL/concurrency-$DB.log

spec=$("$ODOO_BIN" shell -c "$CONF" -d "$DB" --no-http --log-level warn < "$HERE/setup_data.py" 2>>"$LOG" | sed -n 's/^PQC_RACE //p')
[ -n "$spec" ] || { echo "[concurrency] could not prepare the data (see $LOG)"; tail -20 "$LOG"; exit 1; }

: > "$LOG.server"
"${ODOO[@]}" -d "$DB" --db-filter "^$DB\$" --workers "$WORKERS" --http-interface 127.0.0.1 --http-port "$PORT" \
  --gevent-port $((PORT + 1)) --log-level info --logfile "$LOG.server" 2>>"$LOG" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
  sleep 1
done
timeout 240 "$LOCAL/venv/bin/python" "$HERE/fire.py" "http://127.0.0.1:$PORT" "$DB" "$spec"
status=$?
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; trap - EXIT
errors=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG.server")
retries=$(grep -c 'tries left, try again' "$LOG.server")
echo "[concurrency] server log: $errors ERROR/CRITICAL line(s), $retries retried request(s) ($LOG.server)"
if [ "$errors" != 0 ]; then
  grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG.server" | head -5
  status=1
fi
exit $status
