"""Build the function's code zip from ``src``, deterministically.

Why determinism matters: the sha256 of the zip is what the planner compares with the last deployed
code to decide whether ``UpdateFunctionCode`` (and a COS upload) is needed at all. If two builds of
the same tree produced different bytes, every deploy would re-upload the code, create a new code
revision, and (with ``publish``) a new version that differs from the previous one in nothing. So the
same tree must give the same bytes regardless of file mtimes, directory listing order, umask, owner,
the current directory or the machine:

* entries are sorted by their archive name (POSIX ``/`` separators, paths relative to ``src``);
* every entry has the timestamp 1980-01-01 00:00:00 (the earliest a zip can hold);
* permissions are normalised: ``0o755`` if the file has any executable bit, else ``0o644``
  (the injected ``scf_bootstrap`` is ``0o777``, as the Node component writes it); "made by" is
  always Unix, so the mode is stored the same way everywhere;
* ``ZIP_DEFLATED`` at the fixed level 6 (zip's and zlib's default level), no extra fields, no
  comment, no directory entries (empty directories are therefore not packaged; unzip and SCF
  create parent directories as needed).

One caveat: the deflate stream is produced by the zlib library Python is linked with. Stock zlib
has produced the same output for a given level for decades, but a different deflate implementation
(zlib-ng in "compat" mode, as some distributions now ship) may compress differently. The worst case
is one needless re-upload when switching machines, never a wrong deploy.

Which files are packaged (``exclude`` patterns are relative to ``src``, gitignore-like):

* ``*`` and ``?`` match within one path segment, ``[abc]``/``[!abc]`` are character classes,
  ``\\`` escapes the next character;
* node-glob syntax (matched by ``wcmatch``, see :mod:`component.deploy.excludes`): braces
  ``*.{md,txt}`` and extglob ``*.!(js|json)``, ``+(a|b)``, ``@(x)``, ``?(y)``; ``*`` also matches
  names that start with a dot;
* ``**`` matches across directories: ``**/x`` matches ``x`` at any depth, ``a/**/b`` matches
  ``a/b``, ``a/x/b``, ``a/x/y/b``;
* a pattern ending in ``/`` (``tests/``) or in ``/**`` (``node_modules/**``) excludes a
  directory and its whole subtree (``/`` alone: only directories match; ``/**``: everything below);
* a pattern with no ``/`` except a trailing one (``.env``, ``*.pyc``, ``tests/``) matches a name
  at any depth; a pattern with a ``/`` at the start or in the middle (``/.env``, ``node_modules/**``,
  ``src/*.map``) is anchored at ``src``; a leading ``./`` anchors like ``/`` (``./.env`` is only the
  top-level ``.env``);
* a pattern that matches a directory excludes everything under it (as in git, a file in an
  excluded directory cannot be re-included); ``!`` negation is not supported and is refused.

The only implicit excludes are ``.git/`` and ``.serverless/`` (at any depth): VCS metadata and the
framework's own state are never function code. Nothing else (``node_modules``, ``.env``, tests…) is
dropped unless listed in ``exclude``.

Symbolic links are followed when their target is inside ``src``: a link to a file is packaged as a
regular file with the target's content and mode, a link to a directory is walked under the link's
name. A link that resolves outside ``src`` is refused (:class:`~component.errors.PackagingError`):
following it would silently ship files from elsewhere on the build machine (credentials, a home
directory) and make the package depend on the machine. A dangling link, a link loop and special
files (FIFOs, sockets, devices) are refused as well. Exclude patterns are matched against the link's
own path first, so an excluded link is never looked at.

Bounded work on a hostile tree (issue #19): the walk keeps running totals against
:class:`PackageLimits` and stops at the first one crossed, before reading (or zipping) the rest:

* every real directory may be walked at most ``max_dir_visits`` times (through links to it), so a
  DAG of symbolic links (each level linking twice to the next) costs linear, not exponential, work;
* the sum of the files' sizes is checked against the unpacked limit while walking, from ``stat``
  alone, so a 600 MB tree is refused before a byte of it is read;
* the zip is checked against its limit after every chunk written, so memory holds at most the
  limit (plus one chunk); a file that grows while it is read is refused.

The limits that depend on the call (``UpdateFunctionCode`` vs ``CreateFunction``, inline vs COS)
are checked again by :func:`check_size` on the finished package.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shlex
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component.deploy.excludes import ExcludeMatcher
from component.deploy.packwalk import WalkedFile, WalkLimits, collect, mib
from component.errors import PackagingError
from component.records import Frozen

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6
IMPLICIT_EXCLUDES: tuple[str, ...] = (".git/", ".serverless/")
BOOTSTRAP_NAME = "scf_bootstrap"

MIB = 1024 * 1024
#: ``CreateFunction`` ``Code.ZipFile``: "≤ 50 MB zip" (tencent-api.md §4).
CREATE_ZIP_LIMIT = 50 * MIB
#: ``UpdateFunctionCode`` ``ZipFile``: "最大支持20M" (tencent-api.md §4).
UPDATE_ZIP_LIMIT = 20 * MIB
#: Code size before compression per function version, layers included (tencent-api.md §4).
UNPACKED_LIMIT = 500 * MIB
#: API 3.0 (TC3) POST body limit (tencent-api.md "Request size"); see :func:`inline_request_size`.
API_REQUEST_LIMIT = 10 * MIB

_BOOTSTRAP_MODE = 0o100777
_UNIX = 3  # ZipInfo.create_system: Unix, whatever the build machine
_COPY_CHUNK = 1024 * 1024
_LEVEL_ATTR = "compress_level" if sys.version_info >= (3, 13) else "_compresslevel"

_SIZE_HINT = (
    "exclude what the function does not need at runtime (e.g. exclude: ['node_modules/**', 'tests/']), "
    "move dependencies to a layer, or upload the zip to COS and deploy it with src: {bucket, object}"
)


#: A zip sent inline as base64 in a ``ZipFile`` field must fit the 10 MiB request (:func:`inline_request_size`).
INLINE_ZIP_LIMIT = API_REQUEST_LIMIT // 4 * 3
#: How many times one real directory may be walked through symbolic links to it (plus its own place).
MAX_DIR_VISITS = 16


@dataclass(frozen=True, eq=False, repr=False)
class PackageLimits(Frozen):
    """Running limits of one build: crossing one stops the walk (or the zip) at once."""

    max_unpacked: int = UNPACKED_LIMIT
    max_zip: int = CREATE_ZIP_LIMIT
    max_dir_visits: int = MAX_DIR_VISITS
    zip_limit_name: str = "the CreateFunction limit"  # completes "the zip passed N MiB, ..."


#: What the deployer builds with: the code is sent inline, so the zip stops at the request limit.
INLINE_LIMITS = PackageLimits(
    max_zip=INLINE_ZIP_LIMIT,
    zip_limit_name=f"over the API's {API_REQUEST_LIMIT // MIB} MiB request limit once sent inline as base64",
)


@dataclass(frozen=True, eq=False, repr=False)
class CodePackage(Frozen):
    """A built zip, in memory, with what the planner and the size check need."""

    zip_bytes: bytes
    sha256: str  # lowercase hex sha256 of zip_bytes
    file_count: int  # entries in the zip (the injected scf_bootstrap included)
    unpacked_size: int  # sum of the entries' uncompressed sizes
    source: Path  # the resolved src directory

    @property
    def size(self) -> int:
        return len(self.zip_bytes)


@dataclass(frozen=True, eq=False, repr=False)
class WebBootstrap(Frozen):
    """Inject ``scf_bootstrap`` for a web function whose ``src`` has none at its root.

    Like the Node component (``handleWebFuncEntryFile``): ``#!/usr/bin/env bash`` then
    ``<runner> <entry file>``, mode 0o777. The Node component checks for an entry *named*
    ``scf_bootstrap`` at any depth; SCF only runs the one at the root, so only the root counts here.
    """

    runtime: str
    entry_file: str

    def script(self) -> bytes:
        runner = bootstrap_runner(self.runtime)
        return f"#!/usr/bin/env bash\n{runner} {shlex.quote(self.entry_file)}\n".encode()


# Runners of the Node component (tencent-scf src/config.js WEB_FUNC_CONFIGS).
_KNOWN_RUNNERS = {
    "Python2.7": "/var/lang/python2/bin/python2 -u",
    "Python3.6": "/var/lang/python3/bin/python3 -u",
    "Python3.7": "/var/lang/python37/bin/python3 -u",
    "Nodejs10.15": "/var/lang/node10/bin/node",
    "Nodejs12.16": "/var/lang/node12/bin/node",
    "Nodejs14.18": "/var/lang/node14/bin/node",
    "Nodejs16.13": "/var/lang/node16/bin/node",
    "Php5": "/var/lang/php5/bin/php -S 0.0.0.0:9000",
    "Php7": "/var/lang/php7/bin/php -S 0.0.0.0:9000",
    "Php7.4": "/var/lang/php74/bin/php -S 0.0.0.0:9000",
    "Php8.0": "/var/lang/php80/bin/php -S 0.0.0.0:9000",
}
_NODE_RUNTIME = re.compile(r"Nodejs(\d+)\.\d+")
_PYTHON3_RUNTIME = re.compile(r"Python3\.(\d+)")


def bootstrap_runner(runtime: str) -> str:
    """The command line that starts a web function for ``runtime``.

    The Node component's table, extended by its naming pattern to newer runtimes
    (``Nodejs18.15`` → ``/var/lang/node18/bin/node``, ``Python3.9`` →
    ``/var/lang/python39/bin/python3 -u``). Other runtimes need their own ``scf_bootstrap``.
    """
    if runtime in _KNOWN_RUNNERS:
        return _KNOWN_RUNNERS[runtime]
    if m := _NODE_RUNTIME.fullmatch(runtime):
        return f"/var/lang/node{m.group(1)}/bin/node"
    if m := _PYTHON3_RUNTIME.fullmatch(runtime):
        return f"/var/lang/python3{m.group(1)}/bin/python3 -u"
    raise PackagingError(
        f"cannot generate {BOOTSTRAP_NAME} for a web function on runtime {runtime}: "
        f"add an executable {BOOTSTRAP_NAME} file at the root of src"
    )


def _zip_info(arcname: str, mode: int, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(arcname, date_time=FIXED_DATE_TIME)
    info.create_system = _UNIX
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size = size  # decides ZIP64 up front, exactly as writestr() would
    # ZipFile(compresslevel=...) is not applied to a ZipInfo given to ZipFile.open(); set the level
    # on the entry itself (the attribute was renamed in Python 3.13).
    setattr(info, _LEVEL_ATTR, COMPRESS_LEVEL)
    return info


def build_package(
    src_dir: Path,
    *,
    exclude: Sequence[str] = (),
    web_bootstrap: WebBootstrap | None = None,
    limits: PackageLimits | None = None,
) -> CodePackage:
    """Zip ``src_dir`` deterministically (see the module docstring for the rules).

    Raises :class:`PackagingError` if ``src_dir`` is missing, not a directory, or holds no file
    once excludes are applied; for links outside ``src``, broken links, loops and special files;
    with ``web_bootstrap``, if the runtime has no known runner or the entry file is missing; and as
    soon as a running total crosses one of ``limits`` (default: the API's documented limits).
    """
    limits = limits or PackageLimits()
    src = Path(src_dir)
    if not src.exists():
        raise PackagingError(f"code directory {src} does not exist (inputs.src)")
    if not src.is_dir():
        raise PackagingError(f"code directory {src} is not a directory (inputs.src)")
    root = os.path.realpath(src)
    matcher = ExcludeMatcher((*IMPLICIT_EXCLUDES, *exclude))
    files = collect(root, matcher, WalkLimits(limits.max_unpacked, limits.max_dir_visits, _SIZE_HINT))
    if not files:
        if exclude:
            raise PackagingError(
                f"code directory {src} has no files to package once exclude {list(exclude)} is applied "
                "(inputs.src, inputs.exclude)"
            )
        raise PackagingError(f"code directory {src} has no files to package (inputs.src)")
    items: list[tuple[str, WalkedFile | bytes]] = [(f.arcname, f) for f in files]
    if web_bootstrap is not None and not any(f.arcname == BOOTSTRAP_NAME for f in files):
        entry = web_bootstrap.entry_file.removeprefix("./")
        if not any(f.arcname == entry for f in files):
            raise PackagingError(
                f"web function entry file {web_bootstrap.entry_file} not found in {src} "
                f"(inputs.entryFile); add it or provide your own {BOOTSTRAP_NAME}"
            )
        items.append((BOOTSTRAP_NAME, web_bootstrap.script()))
    items.sort(key=lambda item: item[0])

    buffer = _BoundedBuffer(limits, root)
    unpacked = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
        for arcname, content in items:
            if isinstance(content, bytes):
                info = _zip_info(arcname, _BOOTSTRAP_MODE, len(content))
                with zf.open(info, "w") as dest:
                    dest.write(content)
            else:
                info = _zip_info(arcname, content.mode, content.size)
                _write_file(zf, info, content)
            unpacked += info.file_size
    data = buffer.getvalue()
    return CodePackage(
        zip_bytes=data,
        sha256=hashlib.sha256(data).hexdigest(),
        file_count=len(items),
        unpacked_size=unpacked,
        source=Path(root),
    )


class _BoundedBuffer(io.BytesIO):
    """The zip in memory, refused as soon as it outgrows the limit (memory stays within it)."""

    def __init__(self, limits: PackageLimits, source: str) -> None:
        super().__init__()
        self._limits = limits
        self._source = source

    def write(self, data: Any) -> int:
        written = super().write(data)
        if self.tell() > self._limits.max_zip:
            raise PackagingError(
                f"inputs.src: code package from {self._source} is too large: the zip passed "
                f"{mib(self._limits.max_zip)}, {self._limits.zip_limit_name}; {_SIZE_HINT}"
            )
        return written


def _write_file(zf: zipfile.ZipFile, info: zipfile.ZipInfo, item: WalkedFile) -> None:
    """Stream one file into its zip entry (one chunk in memory at a time), no more than it measured."""
    path = item.path
    try:
        info.filename.encode("utf-8")
    except UnicodeEncodeError:
        raise PackagingError(f"{path}: file name is not valid UTF-8; rename it or exclude it") from None
    left = item.size
    try:
        with open(path, "rb") as source, zf.open(info, "w") as dest:
            while chunk := source.read(min(_COPY_CHUNK, left + 1)):
                left -= len(chunk)
                if left < 0:
                    raise PackagingError(f"{path}: the file grew while it was packaged; package a finished tree")
                dest.write(chunk)
    except OSError as exc:
        raise PackagingError(f"cannot read {path}: {exc.strerror or exc}") from exc


# --------------------------------------------------------------------------------------------------
# Size limits


def check_size(pkg: CodePackage, *, creating: bool) -> None:
    """Refuse a package the API would reject, before anything is sent.

    The limits are on the zip itself, not on its base64 form: the API documents ``ZipFile`` as
    "≤ 50 MB zip" for ``CreateFunction`` and "at most 20M" for ``UpdateFunctionCode``
    (tencent-api.md §4), and ``InvalidParameterValue.ZipFile`` is about the decoded archive.
    MB is read as MiB. The unpacked size (sum of the entries' sizes) must stay within 500 MiB,
    the per-version limit (layers count too, but they are not known here).

    Note that the API 3.0 request body itself is capped at 10 MiB (:data:`API_REQUEST_LIMIT`), so an
    inline upload of a zip larger than about 7.5 MiB fails on the request size before the ZipFile
    limit is reached; :func:`inline_request_size` lets the caller choose COS early for those.
    """
    action, limit = ("CreateFunction", CREATE_ZIP_LIMIT) if creating else ("UpdateFunctionCode", UPDATE_ZIP_LIMIT)
    if pkg.size > limit:
        raise PackagingError(
            f"code package from {pkg.source} is too large for {action}: "
            f"the zip is {mib(pkg.size)}, the limit is {mib(limit)}; {_SIZE_HINT}"
        )
    if pkg.unpacked_size > UNPACKED_LIMIT:
        raise PackagingError(
            f"code package from {pkg.source} is too large: "
            f"unpacked it is {mib(pkg.unpacked_size)}, the limit is {mib(UNPACKED_LIMIT)} "
            f"per function version; {_SIZE_HINT}"
        )


def inline_request_size(pkg: CodePackage) -> int:
    """Bytes the zip takes once base64-encoded in a ``ZipFile`` request field."""
    return 4 * ((pkg.size + 2) // 3)
