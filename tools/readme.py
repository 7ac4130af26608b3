#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Keep README.md's user sections and OCA's readme/ fragments identical.

OCA addons describe themselves in readme/*.md fragments; this addon's README.md carries the
same text under the matching headings (the fragment is the body of the section: everything
between its heading and the next ``## `` heading).

    tools/readme.py                 rewrite README.md's sections from the fragments
    tools/readme.py --check         fail (with a diff) when a section and its fragment differ
    tools/readme.py --from-readme   rewrite the fragments from README.md (after editing or
                                    merging README.md directly)
"""

import difflib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Fragment -> README heading; None: the introduction between the title and the first section.
SECTIONS = {
    "DESCRIPTION.md": None,
    "CONFIGURE.md": "## Configuration",
    "USAGE.md": "## Workflows",
    "CONTRIBUTORS.md": "## Contributors",
    "HISTORY.md": "## Changelog",
}


def _split(lines):
    """Yield (heading, body lines) per level-2 section; headings inside code blocks are text."""
    heading, body, fenced = None, [], False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            yield heading, body
            heading, body = line.rstrip(), []
        else:
            body.append(line)
    yield heading, body


def _strip(lines):
    text = "".join(lines).strip("\n")
    return text + "\n" if text else ""


def _body(heading, lines):
    """The section's text as a fragment holds it (for the introduction: without the title)."""
    if heading is None:
        lines = [line for line in lines if not line.startswith("# ")]
    return _strip(lines)


def sections():
    return {heading: body for heading, body in _split(README.read_text(encoding="utf-8").splitlines(True))}


def check():
    found = sections()
    errors = []
    for fragment, heading in SECTIONS.items():
        path = ROOT / "readme" / fragment
        if heading not in found:
            errors.append(f"README.md has no '{heading}' section (for readme/{fragment})")
            continue
        if not path.is_file():
            errors.append(f"readme/{fragment} is missing")
            continue
        want, have = path.read_text(encoding="utf-8"), _body(heading, found[heading])
        if want != have:
            diff = difflib.unified_diff(
                want.splitlines(True),
                have.splitlines(True),
                f"readme/{fragment}",
                f"README.md {heading or 'intro'}",
            )
            errors.append("".join(diff))
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print("README.md and readme/ differ: run tools/readme.py (or --from-readme)", file=sys.stderr)
    return 1 if errors else 0


def from_readme():
    found = sections()
    for fragment, heading in SECTIONS.items():
        if heading not in found:
            sys.exit(f"README.md has no '{heading}' section (for readme/{fragment})")
        (ROOT / "readme").mkdir(exist_ok=True)
        (ROOT / "readme" / fragment).write_text(_body(heading, found[heading]), encoding="utf-8")
    return 0


def to_readme():
    blocks = list(_split(README.read_text(encoding="utf-8").splitlines(True)))
    by_heading = {heading: fragment for fragment, heading in SECTIONS.items()}
    out = []
    for heading, body in blocks:
        if heading is not None:
            out.append(heading + "\n")
        fragment = by_heading.get(heading)
        if fragment is None:
            out.extend(body)
            continue
        text = (ROOT / "readme" / fragment).read_text(encoding="utf-8").strip("\n")
        title = [line for line in body if line.startswith("# ")] if heading is None else []
        out.extend(title + (["\n"] if title or heading else []) + [text + "\n", "\n"])
    missing = [h for h in SECTIONS.values() if h not in {h for h, _ in blocks}]
    if missing:
        sys.exit(f"README.md lacks the section(s) {missing}: add the heading(s) first")
    README.write_text("".join(out).rstrip("\n") + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["--check"]:
        sys.exit(check())
    if args == ["--from-readme"]:
        sys.exit(from_readme())
    if not args:
        sys.exit(to_readme())
    sys.exit(__doc__)
