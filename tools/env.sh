# Shared paths and names of the tooling, sourced by the other scripts.
# The prefix lives OUTSIDE the checkout: Odoo walks its addons folders (following links) when
# it extracts translations, and the addons folder links back to this checkout.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULE=partner_qualification_credit
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
export HOME
LOCAL=${PQC_LOCAL:-${XDG_DATA_HOME:-$HOME/.local/share}/$MODULE}
TOOLS_VENV=$LOCAL/venv
export PRE_COMMIT_HOME=${PRE_COMMIT_HOME:-$LOCAL/pre-commit}

# Per checkout (several clones or worktrees can share one prefix, and one machine): addons
# link, configuration, database names and ports all derive from the checkout's path.
INSTANCE=$(printf '%s' "$ROOT" | sha1sum | cut -c1-8)
ADDONS=$LOCAL/addons/$INSTANCE
CONF=$LOCAL/odoo-$INSTANCE.conf
TEST_DB=${PQC_TEST_DB:-pqc_test_$INSTANCE}
POT_DB=${PQC_POT_DB:-pqc_pot_$INSTANCE}
DEMO_DB=${PQC_DEMO_DB:-pqc_demo_$INSTANCE}

# The Odoo in use. Default: Debian's odoo-19 package, downloaded into the prefix by setup.sh.
# PQC_ODOO=/path/to/odoo: an Odoo 19 source tree (a folder holding odoo-bin and/or the `odoo`
#   package, or the `odoo` package folder itself), run with the prefix's virtualenv.
# PQC_ODOO=venv:/path/to/venv: a virtualenv whose python imports odoo, run as it is.
ODOO_SPEC=${PQC_ODOO:-}
ODOO_SRC="" ODOO_VENV="" ODOO_PYTHONPATH=""
case $ODOO_SPEC in
  "")
    ODOO_KIND=debian
    ODOO_SRC=$LOCAL/odoo/src
    ODOO_PYTHON=$TOOLS_VENV/bin/python
    ODOO_PYTHONPATH=$ODOO_SRC
    ;;
  venv:*)
    ODOO_KIND=venv
    ODOO_VENV=$(realpath -ms "${ODOO_SPEC#venv:}")
    ODOO_PYTHON=$ODOO_VENV/bin/python
    if [ -x "$ODOO_PYTHON" ]; then
      ODOO_SRC=$("$ODOO_PYTHON" -c 'import importlib.util as u, os
s = u.find_spec("odoo")
print(os.path.dirname(list(s.submodule_search_locations)[0]) if s else "")' 2>/dev/null || true)
    fi
    ;;
  *)
    ODOO_KIND=source
    ODOO_PYTHON=$TOOLS_VENV/bin/python
    _spec=$(realpath -ms "$ODOO_SPEC")
    if [ -f "$_spec/odoo/release.py" ]; then
      ODOO_SRC=$_spec
    elif [ -f "$_spec/release.py" ] && [ -d "$_spec/addons" ]; then
      ODOO_SRC=$(dirname "$_spec")
    fi
    ODOO_PYTHONPATH=$ODOO_SRC
    ;;
esac
if [ "$ODOO_KIND" = debian ]; then
  ODOO_BIN=$LOCAL/bin/odoo
else
  ODOO_BIN=$LOCAL/bin/odoo-$(printf '%s' "$ODOO_KIND:$ODOO_SRC:$ODOO_VENV" | sha1sum | cut -c1-8)
fi
ODOO=("$ODOO_BIN" -c "$CONF" --max-cron-threads 0)

db_exists() { psql -lqtA | cut -d'|' -f1 | grep -qx "$1"; }

# Odoo's own modules are installed once into a template database (named after the prefix,
# the Odoo in use and the manifest's depends); each test or benchmark database is a copy, so
# the addon is still installed from scratch. The template is shared by the checkouts using
# this prefix: it is created and copied under a lock.
#   template_name          sets DEPENDS and TEMPLATE
#   clone_template <db>    a fresh copy of the template (built first when missing)
template_name() {
  DEPENDS=$("$TOOLS_VENV/bin/python" -c "import ast; print(','.join(ast.literal_eval(open('$ROOT/__manifest__.py').read())['depends']))")
  if [ "$ODOO_KIND" = debian ]; then
    TEMPLATE=pqc_deps_$(printf '%s %s' "$LOCAL" "$DEPENDS" | sha1sum | cut -c1-10)
  else
    TEMPLATE=pqc_deps_$(printf '%s %s %s' "$LOCAL" "$DEPENDS" "$ODOO_BIN" | sha1sum | cut -c1-10)
  fi
}
clone_template() {
  local db=$1 log
  template_name
  log=$LOCAL/template-$TEMPLATE.log
  (
    flock 8
    if ! db_exists "$TEMPLATE" || [ ! -d "$LOCAL/data/filestore/$TEMPLATE" ]; then
      echo "[template] preparing $TEMPLATE with $DEPENDS" >&2
      PGOPTIONS=--client-min-messages=warning dropdb --if-exists "$TEMPLATE" >/dev/null
      PGOPTIONS=--client-min-messages=warning dropdb --if-exists "$TEMPLATE.tmp" >/dev/null
      "${ODOO[@]}" -d "$TEMPLATE.tmp" -i "$DEPENDS" --stop-after-init --log-level warn >"$log" 2>&1 \
        || { tail -50 "$log" >&2; exit 1; }
      psql -q -d postgres -c "ALTER DATABASE \"$TEMPLATE.tmp\" RENAME TO \"$TEMPLATE\""
      mkdir -p "$LOCAL/data/filestore/$TEMPLATE.tmp"  # in case nothing was stored
      rm -rf "$LOCAL/data/filestore/$TEMPLATE" && mv "$LOCAL/data/filestore/$TEMPLATE.tmp" "$LOCAL/data/filestore/$TEMPLATE"
    fi
    PGOPTIONS=--client-min-messages=warning dropdb --if-exists "$db" >/dev/null
    createdb -T "$TEMPLATE" "$db" || exit 1
    rm -rf "$LOCAL/data/filestore/$db" && cp -r "$LOCAL/data/filestore/$TEMPLATE" "$LOCAL/data/filestore/$db"
  ) 8>"$LOCAL/.pqc_deps.lock"
}

# A TCP port free on 127.0.0.1: the first free one from $1 (derived from the checkout by
# default, so two checkouts do not even try the same one).
free_port() {
  python3 - "$1" <<'PY'
import socket
import sys

port = int(sys.argv[1])
for candidate in range(port, port + 200):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
    print(candidate)
    break
else:
    sys.exit(f"no free port in {port}-{port + 199}")
PY
}
INSTANCE_PORT=$((20000 + 16#${INSTANCE:0:4} % 10000))
