#!/usr/bin/env bash
# Create (or update) the demo database with demo data and serve Odoo on 127.0.0.1:8069.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB=${PQC_DEMO_DB:-pqc_demo}

"$ROOT/tools/setup.sh"
if psql -lqtA | cut -d'|' -f1 | grep -qx "$DB"; then
  echo "[demo] updating the addon in database $DB"
  "${ODOO[@]}" -d "$DB" -u "$MODULE" --stop-after-init --log-level warn
else
  echo "[demo] creating database $DB with demo data (a few minutes the first time)"
  "${ODOO[@]}" -d "$DB" -i "$MODULE" --with-demo --stop-after-init --log-level warn
fi
echo "[demo] Odoo is at http://127.0.0.1:8069  (login: admin  password: admin, database $DB)"
exec "$ODOO_BIN" -c "$CONF" -d "$DB" --db-filter "^$DB\$" --http-interface 127.0.0.1 --http-port 8069
