"""``src.exclude`` follows node-glob (#13 item 7) without catastrophic backtracking (#19 item 10).

The anchoring rules (names at any depth, ``/x`` at the root, ``dir/``) are the packager's and are
covered by tests/deploy/test_packager.py; here: the glob syntax the Node component's docs link
(extglob and braces, as in the real file ``'*.!(js|txt|json)'``) and the bounds. Dotfiles are
matched like any name (``*.!(js|json)`` excludes ``.env``): the CLI globs ``src`` with dotfiles
included and drops only ``.git``.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from component.deploy.excludes import ExcludeMatcher
from component.deploy.packager import build_package
from component.errors import PackagingError

FILES = [
    "index.js",
    "data.json",
    "notes.txt",
    "README.md",
    "lib/util.js",
    "lib/a.min.js",
    "docs/guide.md",
    "img/logo.png",
    "LICENSE",
    "backUp/old.js",
    "icon/a.svg",
    ".env",
]

# (patterns, the files they exclude)
CASES = [
    (
        ["*.!(js|json)"],
        {"notes.txt", "README.md", "lib/a.min.js", "docs/guide.md", "img/logo.png", "icon/a.svg", ".env"},
    ),
    (
        ["*.!(js|txt|json)", "backUp/**", "icon/**"],  # a real project's exclude list
        {"README.md", "lib/a.min.js", "docs/guide.md", "img/logo.png", "backUp/old.js", "icon/a.svg", ".env"},
    ),
    (["*.{md,txt}"], {"notes.txt", "README.md", "docs/guide.md"}),
    (["{docs,img}/"], {"docs/guide.md", "img/logo.png"}),
    (["+(index|data).*"], {"index.js", "data.json"}),
    (["@(LICENSE|.env)"], {"LICENSE", ".env"}),
    (["lib/?(a.)min.js"], {"lib/a.min.js"}),
    (["**/*.js"], {"index.js", "lib/util.js", "lib/a.min.js", "backUp/old.js"}),
]


def tree(root: Path) -> Path:
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name, encoding="utf-8")
    return root


@pytest.mark.parametrize(("patterns", "removed"), CASES, ids=[repr(p) for p, _ in CASES])
def test_node_glob_syntax(tmp_path: Path, patterns: list[str], removed: set[str]) -> None:
    package = build_package(tree(tmp_path / "src"), exclude=patterns)
    with zipfile.ZipFile(io.BytesIO(package.zip_bytes)) as archive:
        kept = set(archive.namelist())
    assert kept == set(FILES) - removed


def test_a_backtracking_pattern_fails_fast() -> None:
    matcher = ExcludeMatcher(["*a*a*a*a*a*a*a*a*b", "**/*a*a*a*a*a*a*a*a*b"])
    started = time.monotonic()
    for length in (30, 200, 2000):
        assert not matcher.excluded("a" * length, is_dir=False)
        assert not matcher.excluded("x/" * 50 + "a" * length, is_dir=False)
    assert time.monotonic() - started < 1.0
    assert matcher.excluded("a" * 8 + "b", is_dir=False)


def test_a_brace_bomb_is_refused() -> None:
    with pytest.raises(PackagingError, match="exclude patterns"):
        ExcludeMatcher(["{a,b}" * 20])
