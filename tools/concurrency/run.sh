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
python3 - "$PORT" <<'PY' || { echo "[concurrency] the server did not start (see $LOG.server)"; exit 1; }
import sys
import time
import urllib.request

for _attempt in range(90):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/web/login", timeout=5)
        break
    except OSError:
        time.sleep(1)
else:
    sys.exit(1)
PY
timeout 240 python3 "$HERE/fire.py" "http://127.0.0.1:$PORT" "$DB" "$spec"
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
