"""``src.exclude`` follows node-glob (#13 item 7) without catastrophic backtracking (#19 item 10).

The anchoring rules (names at any depth, ``/x`` at the root, ``dir/``) are the packager's and are
covered by tests/deploy/test_packager.py; here: the glob syntax the Node component's docs link
(extglob and braces, as in the real file ``'*.!(js|txt|json)'``) and the bounds. Dotfiles are
matched like any name (``*.!(js|json)`` excludes ``.env``): the CLI globs ``src`` with dotfiles
included and drops only ``.git``.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
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


LITERAL_PATTERNS = [".git/", ".serverless/", "node_modules/**", ".env", "tests/", "/index.js", "./lib/util.js",
                    "lib/", "docs/guide.md", "a.b", "README.md/", "x y"]
PATHS = ["index.js", "lib", "lib/util.js", "src/lib/util.js", ".git", "a/.git", "a/.git/config", ".serverless",
         "node_modules", "pkg/node_modules", ".env", "a/.env", ".env.local", "tests", "a/tests", "tests.py",
         "docs/guide.md", "x/docs/guide.md", "a.b", "aXb", "README.md", "x y", "x"]


def _wcmatch_only(patterns: list[str]) -> Callable[[str, bool], bool]:
    """The decision of wcmatch alone on the same patterns (what ExcludeMatcher did before its literal fast path)."""
    from wcmatch import glob

    flags = glob.GLOBSTAR | glob.EXTGLOB | glob.BRACE | glob.DOTGLOB | glob.CASE
    compiled = [c for c in map(ExcludeMatcher._glob, patterns) if c is not None]
    any_kind = glob.compile([p for p, dir_only in compiled if not dir_only] or ["\0"], flags=flags)
    dirs = glob.compile([p for p, dir_only in compiled if dir_only] or ["\0"], flags=flags)
    return lambda path, is_dir: bool(any_kind.match(path)) or (is_dir and bool(dirs.match(path)))


@pytest.mark.parametrize("pattern", LITERAL_PATTERNS)
def test_a_pattern_without_glob_syntax_decides_as_wcmatch_does(pattern: str) -> None:
    matcher, reference = ExcludeMatcher([pattern]), _wcmatch_only([pattern])
    for path in PATHS:
        for is_dir in (False, True):
            assert matcher.excluded(path, is_dir) is reference(path, is_dir), (pattern, path, is_dir)


def test_packaging_with_literal_patterns_does_not_import_wcmatch(tmp_path: Path) -> None:
    src = tree(tmp_path / "src")
    code = (
        "import sys\nfrom pathlib import Path\nfrom component.deploy.packager import build_package\n"
        f"build_package(Path({str(src)!r}), exclude=['node_modules/**', '.env', 'tests/'])\n"
        "print('wcmatch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
