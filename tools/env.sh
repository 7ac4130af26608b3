# Shared paths of the tooling, sourced by the other scripts.
# The prefix lives OUTSIDE the checkout: Odoo walks its addons folders (following links) when
# it extracts translations, and the addons folder links back to this checkout.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULE=partner_qualification_credit
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
LOCAL=${PQC_LOCAL:-${XDG_DATA_HOME:-$HOME/.local/share}/$MODULE}
# Per checkout (several clones or worktrees can share one prefix): addons link and config.
INSTANCE=$(printf '%s' "$ROOT" | sha1sum | cut -c1-8)
ADDONS=$LOCAL/addons/$INSTANCE
CONF=$LOCAL/odoo-$INSTANCE.conf
ODOO_BIN=$LOCAL/bin/odoo
ODOO=("$ODOO_BIN" -c "$CONF" --max-cron-threads 0)
