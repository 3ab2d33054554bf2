"""Exclude patterns for packaging: gitignore-like globs relative to ``src``.

The semantics are documented in :mod:`component.deploy.packager` (the module users read); this module
only compiles them. Kept apart so the packager stays about building the zip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from component.errors import PackagingError


def _translate(body: str) -> str:
    """Regex source for a gitignore-like glob (no anchoring prefix, no trailing ``/``)."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        at_segment_start = i == 0 or body[i - 1] == "/"
        if c == "*":
            j = i
            while j < n and body[j] == "*":
                j += 1
            stars = j - i
            if stars >= 2 and at_segment_start and j < n and body[j] == "/":
                out.append("(?:.*/)?")  # "**/": zero or more directories
                i = j + 1
                continue
            if stars >= 2 and at_segment_start and j == n:
                out.append(".*")  # trailing "**": everything
                i = j
                continue
            out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(body[i + 1]))
            i += 2
        elif c == "[":
            end = body.find("]", i + 2 if body[i + 1 : i + 2] in ("!", "^", "]") else i + 1)
            if end == -1:
                out.append(re.escape(c))
                i += 1
                continue
            inner = body[i + 1 : end]
            negate = inner[:1] in ("!", "^")
            if negate:
                inner = inner[1:]
            inner = "".join("\\" + ch if ch in "\\[]^&~|" else ch for ch in inner)
            out.append(f"(?!/)[{'^' if negate else ''}{inner}]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


class ExcludeMatcher:
    """Decides whether a path relative to ``src`` (POSIX form) is excluded; see the module docstring."""

    def __init__(self, patterns: Iterable[str]) -> None:
        any_kind: list[str] = []
        dirs_only: list[str] = []
        for raw in patterns:
            compiled = self._compile(raw)
            if compiled is None:
                continue
            regex, dir_only = compiled
            (dirs_only if dir_only else any_kind).append(regex)
        self._any = self._join(any_kind)
        self._dirs = self._join(dirs_only)

    @staticmethod
    def _join(regexes: list[str]) -> re.Pattern[str] | None:
        if not regexes:
            return None
        return re.compile("|".join(f"(?:{r})" for r in regexes), re.DOTALL)

    @staticmethod
    def _compile(raw: str) -> tuple[str, bool] | None:
        pattern = raw.strip()
        if pattern.startswith("!"):
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
        if not body:  # "/", "/**", "**/" ...: everything
            return ".*", False
        regex = _translate(body)
        if not anchored:
            regex = "(?:.*/)?" + regex
        return regex, dir_only

    def excluded(self, rel_path: str, is_dir: bool) -> bool:
        if self._any is not None and self._any.fullmatch(rel_path):
            return True
        return is_dir and self._dirs is not None and self._dirs.fullmatch(rel_path) is not None
