#!/usr/bin/env bash
# Static checks on the addon: ruff (lint + format), pylint with OCA's pylint-odoo plugin,
# and every XML file must parse.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
BIN=$LOCAL/venv/bin
cd "$ROOT"

echo "[lint] ruff"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
echo "[lint] xml"
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
echo "[lint] pylint-odoo"
# The checkout is linted through the addons link so that pylint sees the module's real name.
PYTHONPATH="$LOCAL/odoo/src" "$BIN/pylint" --rcfile="$ROOT/.pylintrc" "$ADDONS/$MODULE"
