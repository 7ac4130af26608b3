#!/usr/bin/env bash
# Create (or update) this checkout's demo database with demo data and serve Odoo on
# 127.0.0.1:8069 (the next free port when 8069 is taken; PQC_DEMO_PORT to choose).
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB=$DEMO_DB

"$ROOT/tools/setup.sh"
PORT=${PQC_DEMO_PORT:-$(free_port 8069)}
if db_exists "$DB"; then
  echo "[demo] updating the addon in database $DB"
  "${ODOO[@]}" -d "$DB" -u "$MODULE" --stop-after-init --log-level warn
else
  echo "[demo] creating database $DB with demo data in English and Chinese (a few minutes the first time)"
  "${ODOO[@]}" -d "$DB" -i "$MODULE" --with-demo --stop-after-init --log-level warn
fi
# Simplified Chinese next to English, every installed module's texts included (for a new
# database, --load-language would make it the database's only language instead).
echo "[demo] loading Simplified Chinese"
"$ODOO_BIN" i18n loadlang -c "$CONF" -d "$DB" -l zh_CN
echo "[demo] Odoo is at http://127.0.0.1:$PORT  (database $DB)"
echo "[demo] logins (password = login): admin (leadership), sales and buyer (applicants), office, finance"
[ -n "${PQC_DEMO_NO_SERVE:-}" ] && exit 0
exec "$ODOO_BIN" -c "$CONF" -d "$DB" --db-filter "^$DB\$" --http-interface 127.0.0.1 --http-port "$PORT"
