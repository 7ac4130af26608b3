#!/usr/bin/env bash
# Static checks on the addon, the same ones as .pre-commit-config.yaml:
#   ruff (lint), ruff-format (check), xml (every XML file parses), pylint-odoo (OCA's plugin,
#   .pylintrc), readme (README.md and the readme/ fragments agree).
#   tools/lint.sh           all of them: `pre-commit run --all-files` in a git checkout,
#                           each check in turn otherwise (e.g. a downloaded ZIP)
#   tools/lint.sh CHECK...  the named checks only (what the pre-commit hooks call)
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
BIN=$TOOLS_VENV/bin
cd "$ROOT"
[ -x "$BIN/ruff" ] || { echo "[lint] $BIN/ruff missing: run make setup first" >&2; exit 1; }

check_xml() {
  "$BIN/python" - <<'PY'
import pathlib
import sys

from lxml import etree

bad = 0
for path in sorted(pathlib.Path(".").rglob("*.xml")):
    if any(part.startswith(".") for part in path.parts):
        continue
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        bad += 1
        print(f"{path}: {exc}")
sys.exit(1 if bad else 0)
PY
}

run() {
  case $1 in
    ruff) "$BIN/ruff" check . ;;
    ruff-format) "$BIN/ruff" format --check . ;;
    xml) check_xml ;;
    # The checkout is linted through the addons link so that pylint sees the module's real name.
    pylint-odoo) PYTHONPATH="$ODOO_SRC" "$BIN/pylint" --rcfile="$ROOT/.pylintrc" "$ADDONS/$MODULE" ;;
    readme) "$BIN/python" "$ROOT/tools/readme.py" --check ;;
    *) echo "[lint] unknown check $1 (ruff, ruff-format, xml, pylint-odoo, readme)" >&2; return 2 ;;
  esac
}

if [ $# -gt 0 ]; then
  for check in "$@"; do run "$check"; done
elif git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  "$BIN/pre-commit" run --all-files --show-diff-on-failure --color never
else
  for check in ruff ruff-format xml pylint-odoo readme; do echo "[lint] $check"; run "$check"; done
fi
