#!/usr/bin/env bash
# Build the addon's wheel with whool (pyproject.toml, tools/build_backend.py):
#   tools/wheel.sh           -> dist/odoo_addon_partner_qualification_credit-<version>-py3-none-any.whl
#   tools/wheel.sh --check   -> build it in a scratch folder, check it holds the addon alone under
#                               the manifest's name and version, install it into a scratch
#                               virtualenv next to the Odoo in use and check Odoo finds the module
#                               there (through the wheel's odoo/addons namespace, no addons path).
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

build() {  # $1: output folder; prints the wheel's path
  "$TOOLS_VENV/bin/pip" wheel --quiet --no-deps --no-build-isolation --wheel-dir "$1" "$ROOT" >&2
  ls "$1"/odoo_addon_"$MODULE"-*.whl
}

if [ "${1:-}" != --check ]; then
  "$ROOT/tools/setup.sh" >/dev/null
  rm -f "$ROOT"/dist/odoo_addon_"$MODULE"-*.whl
  echo "[wheel] $(build "$ROOT/dist")"
  exit 0
fi

start=$SECONDS
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/pqc-wheel.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
WHEEL=$(build "$SCRATCH/dist")

# 1. The wheel: the manifest's name and version, the addon's files and nothing else.
"$TOOLS_VENV/bin/python" - "$WHEEL" "$ROOT" "$MODULE" <<'PY'
import ast
import pathlib
import sys
import zipfile

wheel, root, module = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
version = ast.literal_eval((root / "__manifest__.py").read_text())["version"]
expected = f"odoo_addon_{module}-{version}-py3-none-any.whl"
assert wheel.name == expected, f"wheel named {wheel.name}, expected {expected}"
prefix = f"odoo/addons/{module}/"
names = zipfile.ZipFile(wheel).namelist()
outside = [n for n in names if not n.startswith((prefix, f"odoo_addon_{module}-{version}.dist-info/"))]
assert not outside, f"files outside the addon: {outside}"
top = {n[len(prefix) :].split("/")[0] for n in names if n.startswith(prefix)}
tooling = sorted(
    t for t in top if t in {"tools", ".ci", "Makefile", "benchmarks", "pyproject.toml"} or t.startswith((".", "requirements"))
)
assert not tooling, f"tooling shipped in the wheel: {tooling}"
for required in ("__manifest__.py", "__init__.py", "models", "views", "security", "i18n"):
    assert required in top, f"{required} missing from the wheel"
print(f"[wheel] {wheel.name}: {len(names)} files, only odoo/addons/{module}")
PY

# 2. A scratch virtualenv with the wheel, seeing the Odoo in use and its Python dependencies.
"$ODOO_PYTHON" -m venv --without-pip "$SCRATCH/venv"
SITE=$("$SCRATCH/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
if [ "$ODOO_KIND" = venv ]; then
  ODOO_SITES=$("$ODOO_PYTHON" -c 'import site; print("\n".join(site.getsitepackages()))')
else
  ODOO_SITES=$("$TOOLS_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
fi
{
  while IFS= read -r dir; do echo "import site; site.addsitedir('$dir')"; done <<<"$ODOO_SITES"
  [ -n "$ODOO_PYTHONPATH" ] && echo "$ODOO_PYTHONPATH"
} >"$SITE/zz_odoo_in_use.pth"
"$TOOLS_VENV/bin/pip" --python "$SCRATCH/venv/bin/python" install --quiet --no-deps --no-index "$WHEEL"

# 3. Odoo, started without any addons path, finds the module in the wheel and imports it.
"$SCRATCH/venv/bin/python" - "$MODULE" "$SITE" "$SCRATCH" <<'PY'
import glob
import importlib
import os
import sys

from odoo.modules.module import Manifest, initialize_sys_path
from odoo.tools import config

module, site, scratch = sys.argv[1:]
config.parse_config(["--data-dir", os.path.join(scratch, "data"), "--http-interface", "127.0.0.1"])
initialize_sys_path()
manifest = Manifest.for_addon(module)
assert manifest, f"Odoo does not find {module} (odoo.addons path: {list(sys.modules['odoo.addons'].__path__)})"
path = manifest.path
assert path == os.path.join(site, "odoo", "addons", module), f"{module} found in {path}, not in the wheel"
assert manifest["installable"], f"{module} is not installable"
missing = [
    f
    for key in ("data", "demo")
    for f in manifest[key]
    if not os.path.isfile(os.path.join(path, f))
]
missing += [
    pattern
    for bundle in manifest["assets"].values()
    for pattern in bundle
    if isinstance(pattern, str) and not glob.glob(os.path.join(path, "..", pattern), recursive=True)
]
assert not missing, f"files the manifest lists are missing from the wheel: {missing}"
importlib.import_module(f"odoo.addons.{module}")
print(f"[wheel] Odoo finds {module} {manifest['version']} in {path} and imports it")
PY
echo "[wheel] check passed in $((SECONDS - start)) s"
