#!/usr/bin/env bash
# Screenshots of the demo in English and Chinese into static/description/ (README and the
# Apps page show them): creates the demo database when needed (tools/demo.sh), serves it
# on a free port for the time of the run, and drives it with headless Chromium.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB=$DEMO_DB

if ! db_exists "$DB"; then
  PQC_DEMO_NO_SERVE=1 "$ROOT/tools/demo.sh"
fi
PORT=${PQC_SCREENSHOTS_PORT:-$(free_port $((INSTANCE_PORT + 50)))}
LOG=$LOCAL/screenshots-$DB.log
echo "[screenshots] serving $DB on 127.0.0.1:$PORT (log: $LOG)"
"${ODOO[@]}" -d "$DB" --db-filter "^$DB\$" --http-interface 127.0.0.1 --http-port "$PORT" \
  --log-level warn >"$LOG" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fso /dev/null "http://127.0.0.1:$PORT/web/login" && break
  kill -0 "$server" 2>/dev/null || { tail -20 "$LOG"; exit 1; }
  sleep 1
done
"$TOOLS_VENV/bin/python" "$ROOT/tools/screenshots.py" --url "http://127.0.0.1:$PORT" --db "$DB" \
  --out "$ROOT/static/description"
