#!/usr/bin/env bash
# Remove the databases and the local prefix (Odoo, virtualenv, filestore, configs).
set -uo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
for db in $(psql -lqtA 2>/dev/null | cut -d'|' -f1 | grep -E '^pqc_'); do dropdb "$db"; done
rm -rf "$LOCAL"
echo "[clean] removed $LOCAL and the pqc_* databases"
