"""Exclude patterns for packaging: node-glob patterns relative to ``src``, matched by ``wcmatch``.

Which paths a pattern names (anchoring, a trailing ``/``, ``/**``) is documented in
:mod:`component.deploy.packager`, the module users read; this module compiles the patterns. The
glob syntax itself is node-glob's (the Node component's docs link it), implemented by the
``wcmatch`` library rather than by hand: ``*``, ``?``, ``[...]``, ``**``, braces ``*.{md,txt}`` and
extglob ``*.!(js|json)``, ``+(a|b)``, ``@(x)``, ``?(y)``. ``wcmatch`` keeps consecutive wildcards in
atomic groups, so a pattern like ``*a*a*a*a*a*a*a*a*b`` against a long name fails in linear time
instead of backtracking for minutes, and it bounds brace expansion (:data:`BRACE_LIMIT` patterns).

A pattern without any glob syntax (the implicit ``.git/`` and ``.serverless/``, ``node_modules/**``,
``.env``, ``tests/``) names one path or one name: it is compared as a string, and ``wcmatch`` is only
imported when some pattern needs it (its import is ≈5 ms of a deploy's start, #17); both decide alike
(``tests/deploy/test_excludes.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from component.errors import PackagingError

if TYPE_CHECKING:
    from wcmatch import glob

BRACE_LIMIT = 1000  # patterns one exclude entry may expand to (``{a,b}{c,d}…``)
GLOB_SYNTAX = frozenset("*?[]{}()!@+|\\")  # any of these, and wcmatch decides


class _Literals:
    """Patterns without glob syntax: whole relative paths (anchored) and names at any depth."""

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.names: set[str] = set()

    def add(self, pattern: str) -> bool:
        """Take ``pattern`` (as :meth:`ExcludeMatcher._glob` wrote it) if it is literal; False if not."""
        name = pattern.removeprefix("**/")
        parts = name.split("/")
        if GLOB_SYNTAX.intersection(name) or any(part in ("", ".", "..") for part in parts):
            return False
        if name == pattern:
            self.paths.add(name)
        elif len(parts) == 1:
            self.names.add(name)
        else:
            return False
        return True

    def match(self, rel_path: str) -> bool:
        return rel_path in self.paths or rel_path.rpartition("/")[2] in self.names


class ExcludeMatcher:
    """Decides whether a path relative to ``src`` (POSIX form) is excluded; see the module docstring."""

    def __init__(self, patterns: Iterable[str]) -> None:
        any_kind: list[str] = []
        dirs_only: list[str] = []
        self._any_literal, self._dirs_literal = _Literals(), _Literals()
        for raw in patterns:
            compiled = self._glob(raw)
            if compiled is None:
                continue
            pattern, dir_only = compiled
            literals, globs = (self._dirs_literal, dirs_only) if dir_only else (self._any_literal, any_kind)
            if not literals.add(pattern):
                globs.append(pattern)
        self._any = self._compile(any_kind)
        self._dirs = self._compile(dirs_only)

    @staticmethod
    def _compile(patterns: list[str]) -> glob.WcMatcher[str] | None:
        if not patterns:
            return None
        from wcmatch import glob

        flags = glob.GLOBSTAR | glob.EXTGLOB | glob.BRACE | glob.DOTGLOB | glob.CASE
        try:
            return glob.compile(patterns, flags=flags, limit=BRACE_LIMIT)
        except Exception as exc:  # wcmatch: PatternLimitException (brace bombs) or a malformed pattern
            raise PackagingError(f"exclude patterns {patterns!r}: {exc}") from exc

    @staticmethod
    def _glob(raw: str) -> tuple[str, bool] | None:
        """(glob pattern relative to ``src``, whether it matches directories only); None if blank."""
        pattern = raw.strip()
        if pattern.startswith("!") and not pattern.startswith("!("):
            raise PackagingError(f"exclude pattern {raw!r}: negation ('!') is not supported")
        if pattern.startswith("./"):  # "./x" means x at the root of src, like "/x"
            while pattern.startswith("./"):
                pattern = pattern[2:]
            pattern = "/" + pattern
        if not pattern:
            return None
        dir_only = False
        if pattern.endswith("/**"):
            body, dir_only, anchored = pattern[:-3], True, True
        else:
            if pattern.endswith("/"):
                pattern, dir_only = pattern.rstrip("/"), True
            body = pattern
            anchored = "/" in body
        body = body.lstrip("/")
        if not body or body == "**":  # "/", "/**", "**/" ...: everything
            return "**", False
        return (body if anchored else "**/" + body), dir_only

    def excluded(self, rel_path: str, is_dir: bool) -> bool:
        if self._any_literal.match(rel_path) or (is_dir and self._dirs_literal.match(rel_path)):
            return True
        if self._any is not None and self._any.match(rel_path):
            return True
        return is_dir and self._dirs is not None and bool(self._dirs.match(rel_path))
