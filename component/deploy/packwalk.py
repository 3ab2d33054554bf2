"""Walk ``src`` for the packager: which files, in which order, within which running limits.

Split from :mod:`component.deploy.packager` (which documents the rules): symbolic links inside
``src`` are followed, outside refused, loops refused; every real directory is walked at most
``max_dir_visits`` times and the files' sizes are summed against the unpacked limit while walking.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from component.deploy.excludes import ExcludeMatcher
from component.errors import PackagingError
from component.records import Frozen

_FILE_MODE = 0o100644
_EXEC_MODE = 0o100755
MIB = 1024 * 1024


@dataclass(frozen=True, eq=False, repr=False)
class WalkLimits(Frozen):
    max_unpacked: int
    max_dir_visits: int
    size_hint: str


def mib(n: int) -> str:
    return f"{n / MIB:.1f} MiB ({n} bytes)"


@dataclass(frozen=True, eq=False, repr=False)
class WalkedFile(Frozen):
    arcname: str
    path: str  # the path to open (may be a symlink inside src)
    mode: int  # the zip's Unix mode (type bits included)
    size: int


def _is_within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@dataclass(frozen=True, eq=False, repr=False)
class _Node(Frozen):
    st: os.stat_result | None  # None for a plain directory (not needed)
    is_dir: bool
    real: str  # resolved path (directories: used to detect link loops)


def _resolve_link(entry: os.DirEntry[str], rel: str, root: str, matcher: ExcludeMatcher) -> _Node | None:
    """What a symlink inside src stands for, or None if it is excluded."""
    try:
        st = os.stat(entry.path)
    except OSError:
        if matcher.excluded(rel, False):
            return None
        raise PackagingError(f"{entry.path}: broken symbolic link") from None
    is_dir = stat.S_ISDIR(st.st_mode)
    if matcher.excluded(rel, is_dir):
        return None
    target = os.path.realpath(entry.path)
    if not _is_within(target, root):
        raise PackagingError(
            f"{entry.path}: symbolic link points outside src ({target}); copy the file into src or exclude the link"
        )
    return _Node(st, is_dir, target)


class _Walk:
    """Running totals of one walk, checked against the limits as entries are found."""

    def __init__(self, root: str, limits: WalkLimits) -> None:
        self.root = root
        self.limits = limits
        self.files: list[WalkedFile] = []
        self.unpacked = 0
        self.visits: dict[str, int] = {}

    def enter(self, path: str, real: str) -> None:
        count = self.visits.get(real, 0) + 1
        if count > self.limits.max_dir_visits:
            raise PackagingError(
                f"{path}: directory {real} is reached through symbolic links more than "
                f"{self.limits.max_dir_visits} times; link it once, or exclude the extra links"
            )
        self.visits[real] = count

    def add(self, item: WalkedFile) -> None:
        self.unpacked += item.size
        if self.unpacked > self.limits.max_unpacked:
            raise PackagingError(
                f"code package from {self.root} is too large: its files add up to more than "
                f"{mib(self.limits.max_unpacked)} unpacked (reached at {item.path}), the limit per "
                f"function version; {self.limits.size_hint}"
            )
        self.files.append(item)


def collect(root: str, matcher: ExcludeMatcher, limits: WalkLimits) -> list[WalkedFile]:
    walk = _Walk(root, limits)

    def visit(dir_path: str, prefix: str, real_dir: str, ancestors: frozenset[str]) -> None:
        walk.enter(dir_path, real_dir)
        try:
            with os.scandir(dir_path) as it:
                entries = list(it)
        except OSError as exc:
            raise PackagingError(f"cannot list {dir_path}: {exc.strerror or exc}") from exc
        for entry in entries:
            rel = prefix + entry.name
            node: _Node | None
            if entry.is_symlink():
                node = _resolve_link(entry, rel, root, matcher)
            else:
                is_dir = entry.is_dir(follow_symlinks=False)
                real = os.path.join(real_dir, entry.name)
                excluded = matcher.excluded(rel, is_dir)
                node = None if excluded else _Node(None if is_dir else entry.stat(), is_dir, real)
            if node is None:
                continue
            if node.is_dir:
                if node.real in ancestors:
                    raise PackagingError(f"{entry.path}: symbolic link loop (points to {node.real})")
                visit(entry.path, rel + "/", node.real, ancestors | {node.real})
                continue
            assert node.st is not None
            if not stat.S_ISREG(node.st.st_mode):
                raise PackagingError(f"{entry.path}: not a regular file, directory or symbolic link")
            mode = _EXEC_MODE if node.st.st_mode & 0o111 else _FILE_MODE
            walk.add(WalkedFile(rel, entry.path, mode, node.st.st_size))

    visit(root, "", root, frozenset({root}))
    return walk.files
