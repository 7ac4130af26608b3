# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PEP 517 build backend: OCA's whool, fed with the addon alone under its real name.

whool names the distribution after the folder it builds from and packages every file git
tracks there. This repository's root *is* the addon, but a clone's folder can be called
anything (``main``, ``partner_qualification_credit-main`` from a ZIP download) and the root
also holds the developer tooling. So the addon's files are first staged into a temporary
folder named ``partner_qualification_credit``, with a PKG-INFO holding the name and the
manifest's version: that is whool's "build from an sdist" path, which copies the staged
folder as is. whool then writes the wheel (``odoo/addons/partner_qualification_credit``)
or the sdist (buildable again by plain whool, without this file).
"""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from email.generator import Generator
from pathlib import Path

from manifestoo_core.metadata import metadata_from_addon_dir
from whool import buildapi as whool

try:
    import tomllib
except ImportError:  # Python 3.10: whool depends on tomli there
    import tomli as tomllib

ADDON = "partner_qualification_credit"

# Top-level entries of the repository that are tooling, not addon.
EXCLUDED_TOP = {
    ".ci",
    "Makefile",
    "benchmarks",
    "build",
    "dist",
    "pyproject.toml",  # replaced by a plain whool one in the staged folder
    "tools",
}
EXCLUDED_TOP_PREFIXES = (".", "requirements")


def _is_addon_file(relpath):
    parts = Path(relpath).parts
    if not parts or parts[0] in EXCLUDED_TOP or parts[0].startswith(EXCLUDED_TOP_PREFIXES):
        return False
    return not any(p == "__pycache__" or p.startswith(".") for p in parts) and not relpath.endswith(".pyc")


def _source_files(root):
    """Files of the working tree that git does not ignore (every file outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            check=True,
            capture_output=True,
        ).stdout.decode()
        files = [f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = [
            os.path.relpath(os.path.join(dirpath, name), root)
            for dirpath, _dirnames, names in os.walk(root)
            for name in names
        ]
    return sorted(f for f in set(files) if _is_addon_file(f) and (root / f).is_file())


def _whool_options(root):
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f).get("tool", {}).get("whool", {})


def _plain_pyproject(options):
    lines = ["[build-system]", 'requires = ["whool"]', 'build-backend = "whool.buildapi"']
    if options:
        lines += ["", "[tool.whool]"]
        for key, value in options.items():
            if not isinstance(value, str | bool | list):
                raise ValueError(f"[tool.whool] {key}: only strings, booleans and lists are supported")
            lines.append(f"{key} = {json.dumps(value)}")  # JSON strings, lists, booleans are TOML
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _staged_addon():
    """Yield a temporary folder holding the addon alone, named after it, with its PKG-INFO."""
    root = Path.cwd()
    options = _whool_options(root)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / ADDON
        for relpath in _source_files(root):
            (staged / relpath).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / relpath, staged / relpath)
        (staged / "pyproject.toml").write_text(_plain_pyproject(options), encoding="utf-8")
        metadata = metadata_from_addon_dir(staged, options)
        with open(staged / "PKG-INFO", "w", encoding="utf-8") as f:
            Generator(f, mangle_from_=False, maxheaderlen=0).flatten(metadata)
        os.chdir(staged)
        try:
            yield staged
        finally:
            os.chdir(root)


def _absolute(path):
    return str(Path(path).resolve()) if path else path


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = _absolute(wheel_directory)
    with _staged_addon():
        return whool.build_wheel(wheel_directory, config_settings)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = _absolute(sdist_directory)
    with _staged_addon():
        return whool.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = _absolute(metadata_directory)
    with _staged_addon():
        return whool.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
