#!/usr/bin/env bash
# tools/clean.sh        remove what THIS checkout created: its test, pot and demo databases
#                       with their filestores and logs, its configuration, addons link and
#                       dist/ folder. The prefix (Odoo, virtualenv, the shared template
#                       databases) and other checkouts' databases stay.
# tools/clean.sh --all  remove everything of the prefix: the databases of every checkout using
#                       it and the template databases (every pqc_* database whose filestore
#                       is in the prefix), then the whole prefix. Asks first; without a
#                       terminal, only with PQC_YES=1.
set -uo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

drop() {
  PGOPTIONS=--client-min-messages=warning dropdb --if-exists "$1" || echo "[clean] could not drop database $1 (in use?)"
  rm -rf "$LOCAL/data/filestore/$1" "$LOCAL/test-$1.log"
}

if [ "${1:-}" != --all ]; then
  for db in "$TEST_DB" "$POT_DB" "$DEMO_DB"; do drop "$db"; done
  rm -rf "$ADDONS" "$CONF" "$ROOT/dist" "$ROOT/build"
  echo "[clean] removed databases $TEST_DB $POT_DB $DEMO_DB, $CONF, $ADDONS and dist/"
  exit 0
fi

# The prefix's databases are those whose filestore it holds (every database Odoo installed
# modules into has one; a test database gets a copy of its template's).
databases=""
for db in $(psql -lqtA 2>/dev/null | cut -d'|' -f1 | grep -E '^pqc_' || true); do
  [ -d "$LOCAL/data/filestore/$db" ] && databases+="$db "
done
echo "[clean] this removes $LOCAL (Odoo, virtualenv, filestores) and the databases:" $databases
echo "[clean] every checkout using this prefix loses its databases and set-up."
if [ "${PQC_YES:-}" != 1 ]; then
  if [ ! -t 0 ]; then
    echo "[clean] not a terminal: refusing. Run with PQC_YES=1 to confirm." >&2
    exit 1
  fi
  read -r -p "[clean] type 'yes' to remove everything: " answer
  [ "$answer" = yes ] || { echo "[clean] nothing removed"; exit 1; }
fi
for db in $databases; do drop "$db"; done
rm -rf "$LOCAL" "$ROOT/dist" "$ROOT/build"
echo "[clean] removed $LOCAL and its databases"
