#!/usr/bin/env bash
# Regenerate i18n/partner_qualification_credit.pot from a fresh database (this checkout's
# own) and merge it into the Simplified Chinese translation (msgmerge keeps existing
# translations).
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB=$POT_DB

"$ROOT/tools/setup.sh"
PGOPTIONS=--client-min-messages=warning dropdb --if-exists "$DB"
"${ODOO[@]}" -d "$DB" -i "$MODULE" --stop-after-init --log-level warn
"$ODOO_BIN" i18n export -c "$CONF" -d "$DB" "$MODULE"
if [ -f "$ROOT/i18n/zh_CN.po" ]; then
  msgmerge --quiet --update --backup=none --no-fuzzy-matching "$ROOT/i18n/zh_CN.po" "$ROOT/i18n/$MODULE.pot"
fi
dropdb "$DB"
rm -rf "$LOCAL/data/filestore/$DB"
echo "[pot] i18n/$MODULE.pot: $(grep -c '^msgid ' "$ROOT/i18n/$MODULE.pot") entries"
