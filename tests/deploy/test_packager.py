"""build_package / check_size on real trees in tmp_path (no mocks)."""

from __future__ import annotations

import hashlib
import io
import os
import random
import stat
import zipfile
from pathlib import Path

import pytest

from component.deploy.packager import (
    CodePackage,
    WebBootstrap,
    bootstrap_runner,
    build_package,
    check_size,
    inline_request_size,
)
from component.errors import PackagingError

MIB = 1024 * 1024

# A small project: (relative path, content, mode).
TREE: list[tuple[str, bytes, int]] = [
    ("index.js", b"exports.main_handler = async () => 'hi'\n", 0o644),
    ("bin/run.sh", b"#!/bin/sh\necho run\n", 0o755),
    ("lib/util.js", b"module.exports = {}\n" * 50, 0o644),
    ("lib/__pycache__/util.cpython-311.pyc", b"\x00\x01pyc", 0o644),
    ("lib/deep/er/x.pyc", b"pyc", 0o644),
    ("node_modules/left-pad/index.js", b"module.exports = 1\n", 0o644),
    ("node_modules/left-pad/package.json", b"{}\n", 0o644),
    ("sub/node_modules/dep.js", b"dep\n", 0o644),
    ("tests/test_app.js", b"test\n", 0o644),
    ("lib/tests/fixture.txt", b"fixture\n", 0o644),
    (".env", b"SECRET=1\n", 0o600),
    ("config/.env", b"NESTED=1\n", 0o600),
    ("src/a.map", b"map\n", 0o644),
    ("src/b.js", b"b\n", 0o644),
    ("docs/readme.md", b"# docs\n", 0o644),
    (".git/HEAD", b"ref: refs/heads/main\n", 0o644),
    (".serverless/state.json", b"{}\n", 0o644),
    ("vendor/pkg/.git/config", b"[core]\n", 0o644),
]
ALL_NAMES = sorted(p for p, _, _ in TREE if not p.startswith((".git/", ".serverless/", "vendor/pkg/.git/")))


def make_tree(root: Path, entries: list[tuple[str, bytes, int]] = TREE, *, shuffle_seed: int | None = None) -> Path:
    """Create ``entries`` under ``root``; optionally in a shuffled order with random mtimes."""
    items = list(entries)
    rng = random.Random(shuffle_seed)
    if shuffle_seed is not None:
        rng.shuffle(items)
    for rel, content, mode in items:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        path.chmod(mode)
        if shuffle_seed is not None:
            when = rng.randrange(400_000_000, 1_900_000_000)
            os.utime(path, (when, when))
    return root


def names(pkg: CodePackage) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(pkg.zip_bytes)) as zf:
        return zf.namelist()


def infos(pkg: CodePackage) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(pkg.zip_bytes)) as zf:
        return {i.filename: i for i in zf.infolist()}


def read(pkg: CodePackage, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(pkg.zip_bytes)) as zf:
        return zf.read(name)


# --------------------------------------------------------------------------------------------------
# Determinism


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src")
    first, second = build_package(src), build_package(src)
    assert first.zip_bytes == second.zip_bytes
    assert first.sha256 == second.sha256 == hashlib.sha256(first.zip_bytes).hexdigest()


def test_same_content_built_differently_gives_same_sha(tmp_path: Path) -> None:
    a = make_tree(tmp_path / "a")
    # Other creation order, random mtimes, other non-executable permissions (like another umask),
    # and another parent directory name.
    other_modes = [(p, c, 0o600 if m == 0o644 else (0o700 if m == 0o755 else 0o640)) for p, c, m in TREE]
    b = make_tree(tmp_path / "elsewhere" / "b", other_modes, shuffle_seed=7)
    old_umask = os.umask(0o077)
    try:
        pkg_b = build_package(b)
    finally:
        os.umask(old_umask)
    pkg_a = build_package(a)
    assert pkg_a.sha256 == pkg_b.sha256
    assert pkg_a.zip_bytes == pkg_b.zip_bytes


def test_entries_are_normalised(tmp_path: Path) -> None:
    pkg = build_package(make_tree(tmp_path / "src"))
    entries = infos(pkg)
    assert list(entries) == sorted(entries)
    assert list(entries) == ALL_NAMES  # no directory entries, .git/.serverless excluded
    for info in entries.values():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.create_system == 3
        assert info.extra == b""
        assert info.comment == b""
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert "\\" not in info.filename and not info.filename.startswith("/")
    assert pkg.file_count == len(ALL_NAMES)
    assert pkg.unpacked_size == sum(len(c) for p, c, _ in TREE if p in ALL_NAMES)
    assert pkg.size == len(pkg.zip_bytes)
    assert pkg.source == (tmp_path / "src").resolve()


def test_contents_round_trip_including_large_streamed_file(tmp_path: Path) -> None:
    big = random.Random(3).randbytes(3 * MIB + 17)  # larger than the copy chunk
    src = make_tree(tmp_path / "src", [("big.bin", big, 0o644), ("a.txt", b"a" * 10_000, 0o644)])
    pkg = build_package(src)
    with zipfile.ZipFile(io.BytesIO(pkg.zip_bytes)) as zf:
        assert zf.testzip() is None
        assert zf.read("big.bin") == big
        assert zf.read("a.txt") == b"a" * 10_000


@pytest.mark.parametrize(
    ("mode", "zip_mode"),
    [
        (0o644, 0o644),
        (0o600, 0o644),
        (0o444, 0o644),
        (0o755, 0o755),
        (0o700, 0o755),
        (0o744, 0o755),
        (0o654, 0o755),  # group-executable only still counts as executable
    ],
)
def test_only_the_executable_bit_is_kept(tmp_path: Path, mode: int, zip_mode: int) -> None:
    src = make_tree(tmp_path / "src", [("f", b"x", mode)])
    info = infos(build_package(src))["f"]
    assert info.external_attr >> 16 == stat.S_IFREG | zip_mode


# --------------------------------------------------------------------------------------------------
# Excludes

EXCLUDE_CASES: list[tuple[list[str], set[str]]] = [
    ([], set()),
    (["node_modules/**"], {"node_modules/left-pad/index.js", "node_modules/left-pad/package.json"}),
    (
        ["node_modules/"],
        {"node_modules/left-pad/index.js", "node_modules/left-pad/package.json", "sub/node_modules/dep.js"},
    ),
    (
        ["**/node_modules/**"],
        {"node_modules/left-pad/index.js", "node_modules/left-pad/package.json", "sub/node_modules/dep.js"},
    ),
    (["**/*.pyc"], {"lib/__pycache__/util.cpython-311.pyc", "lib/deep/er/x.pyc"}),
    (["*.pyc"], {"lib/__pycache__/util.cpython-311.pyc", "lib/deep/er/x.pyc"}),
    (["__pycache__/"], {"lib/__pycache__/util.cpython-311.pyc"}),
    ([".env"], {".env", "config/.env"}),
    (["/.env"], {".env"}),
    (["./.env"], {".env"}),
    (["tests/"], {"tests/test_app.js", "lib/tests/fixture.txt"}),
    (["tests/**"], {"tests/test_app.js"}),
    (["/tests/"], {"tests/test_app.js"}),
    (["src/*.map"], {"src/a.map"}),
    (["*.map", "docs"], {"src/a.map", "docs/readme.md"}),
    (["lib/**/*.pyc"], {"lib/__pycache__/util.cpython-311.pyc", "lib/deep/er/x.pyc"}),
    (["lib/*.pyc"], set()),  # "*" does not cross "/"
    (["lib/deep/**/x.pyc"], {"lib/deep/er/x.pyc"}),
    (["?ndex.js"], {"index.js", "node_modules/left-pad/index.js"}),
    (["/?ndex.js"], {"index.js"}),
    (["./lib/tests/"], {"lib/tests/fixture.txt"}),
    (["[ab].js"], {"src/b.js"}),
    (["[!b].js"], set()),
    (["[[]x.js", "src/[a-b].js"], {"src/b.js"}),
    (["index.js/"], set()),  # a trailing "/" only matches directories
    (["bin"], {"bin/run.sh"}),  # no trailing "/": files and directories
    (["", "   "], set()),  # blank patterns are ignored
]


@pytest.mark.parametrize(("patterns", "removed"), EXCLUDE_CASES, ids=[repr(p) for p, _ in EXCLUDE_CASES])
def test_exclude_patterns(tmp_path: Path, patterns: list[str], removed: set[str]) -> None:
    assert removed <= set(ALL_NAMES)
    pkg = build_package(make_tree(tmp_path / "src"), exclude=patterns)
    assert names(pkg) == [n for n in ALL_NAMES if n not in removed]


def test_git_and_serverless_dirs_are_always_excluded_but_files_of_that_name_are_not(tmp_path: Path) -> None:
    src = make_tree(
        tmp_path / "src",
        [("a.js", b"a", 0o644), (".git/HEAD", b"h", 0o644), ("x/.serverless/s", b"s", 0o644)],
    )
    (src / "y").mkdir()
    (src / "y" / ".git").write_bytes(b"gitdir: ../.git/modules/y\n")  # a submodule's .git file
    assert names(build_package(src)) == ["a.js", "y/.git"]


def test_negated_pattern_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackagingError, match=r"negation"):
        build_package(make_tree(tmp_path / "src"), exclude=["!keep.js"])


# --------------------------------------------------------------------------------------------------
# Web bootstrap

BOOTSTRAP_CASES = [
    ("Nodejs12.16", "app.js", b"#!/usr/bin/env bash\n/var/lang/node12/bin/node app.js\n"),
    ("Nodejs18.15", "app.js", b"#!/usr/bin/env bash\n/var/lang/node18/bin/node app.js\n"),
    ("Python3.6", "app.py", b"#!/usr/bin/env bash\n/var/lang/python3/bin/python3 -u app.py\n"),
    ("Python3.7", "app.py", b"#!/usr/bin/env bash\n/var/lang/python37/bin/python3 -u app.py\n"),
    ("Python3.9", "srv/app.py", b"#!/usr/bin/env bash\n/var/lang/python39/bin/python3 -u srv/app.py\n"),
    ("Php7.4", "hello.php", b"#!/usr/bin/env bash\n/var/lang/php74/bin/php -S 0.0.0.0:9000 hello.php\n"),
]


@pytest.mark.parametrize(("runtime", "entry", "script"), BOOTSTRAP_CASES)
def test_web_bootstrap_is_injected_when_missing(tmp_path: Path, runtime: str, entry: str, script: bytes) -> None:
    src = make_tree(tmp_path / "src", [(entry, b"app", 0o644), ("sub/scf_bootstrap", b"nested", 0o755)])
    pkg = build_package(src, web_bootstrap=WebBootstrap(runtime=runtime, entry_file=entry))
    assert names(pkg) == sorted([entry, "scf_bootstrap", "sub/scf_bootstrap"])
    assert read(pkg, "scf_bootstrap") == script
    assert infos(pkg)["scf_bootstrap"].external_attr >> 16 == stat.S_IFREG | 0o777
    assert pkg.file_count == 3
    assert pkg.unpacked_size == len(b"app") + len(b"nested") + len(script)
    # deterministic with the bootstrap too
    assert build_package(src, web_bootstrap=WebBootstrap(runtime, entry)).zip_bytes == pkg.zip_bytes


@pytest.mark.parametrize("runtime", ["Nodejs16.13", "Python3.9"])
def test_existing_bootstrap_is_kept(tmp_path: Path, runtime: str) -> None:
    mine = b"#!/bin/bash\nexec ./server\n"
    src = make_tree(tmp_path / "src", [("scf_bootstrap", mine, 0o755), ("server", b"bin", 0o755)])
    pkg = build_package(src, web_bootstrap=WebBootstrap(runtime=runtime, entry_file="app.js"))
    assert names(pkg) == ["scf_bootstrap", "server"]
    assert read(pkg, "scf_bootstrap") == mine
    assert infos(pkg)["scf_bootstrap"].external_attr >> 16 == stat.S_IFREG | 0o755
    assert pkg.zip_bytes == build_package(src).zip_bytes


def test_no_bootstrap_for_event_functions(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("app.js", b"x", 0o644)])
    assert names(build_package(src)) == ["app.js"]


def test_bootstrap_entry_file_must_exist(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("index.js", b"x", 0o644)])
    with pytest.raises(PackagingError) as exc:
        build_package(src, web_bootstrap=WebBootstrap("Nodejs16.13", "app.js"))
    assert str(exc.value) == (
        f"web function entry file app.js not found in {src} (inputs.entryFile); "
        "add it or provide your own scf_bootstrap"
    )


@pytest.mark.parametrize("runtime", ["Go1", "Java8", "CustomRuntime", "Nodejs"])
def test_bootstrap_unknown_runtime(runtime: str) -> None:
    with pytest.raises(PackagingError) as exc:
        bootstrap_runner(runtime)
    assert str(exc.value) == (
        f"cannot generate scf_bootstrap for a web function on runtime {runtime}: "
        "add an executable scf_bootstrap file at the root of src"
    )


def test_entry_file_with_spaces_is_quoted() -> None:
    script = WebBootstrap("Nodejs16.13", "my app.js").script()
    assert script == b"#!/usr/bin/env bash\n/var/lang/node16/bin/node 'my app.js'\n"


# --------------------------------------------------------------------------------------------------
# Symbolic links


def test_symlinks_inside_src_are_followed(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("real/a.js", b"a", 0o755), ("real/b.js", b"b", 0o644)])
    (src / "link.js").symlink_to("real/a.js")
    (src / "alias").symlink_to("real", target_is_directory=True)
    pkg = build_package(src)
    assert names(pkg) == ["alias/a.js", "alias/b.js", "link.js", "real/a.js", "real/b.js"]
    assert read(pkg, "link.js") == b"a"
    assert infos(pkg)["link.js"].external_attr >> 16 == stat.S_IFREG | 0o755


def test_symlink_outside_src_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret").write_bytes(b"key")
    src = make_tree(tmp_path / "src", [("a.js", b"a", 0o644)])
    (src / "creds").symlink_to(tmp_path / "secret")
    with pytest.raises(PackagingError) as exc:
        build_package(src)
    assert str(exc.value) == (
        f"{src.resolve() / 'creds'}: symbolic link points outside src ({(tmp_path / 'secret').resolve()}); "
        "copy the file into src or exclude the link"
    )
    assert exc.value.exit_code == 2
    # excluded links are never looked at
    assert names(build_package(src, exclude=["creds"])) == ["a.js"]


def test_broken_symlink_and_loops_are_refused(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("a/x.js", b"x", 0o644)])
    (src / "dangling").symlink_to("nowhere")
    with pytest.raises(PackagingError, match=r"dangling: broken symbolic link$"):
        build_package(src)
    (src / "dangling").unlink()
    (src / "a" / "up").symlink_to("..", target_is_directory=True)
    with pytest.raises(PackagingError, match=r"a/up: symbolic link loop"):
        build_package(src)
    assert names(build_package(src, exclude=["up"])) == ["a/x.js"]


def test_src_itself_may_be_a_symlink(tmp_path: Path) -> None:
    real = make_tree(tmp_path / "real", [("a.js", b"a", 0o644)])
    (tmp_path / "src").symlink_to(real, target_is_directory=True)
    assert build_package(tmp_path / "src").zip_bytes == build_package(real).zip_bytes


def test_non_utf8_file_name_is_refused(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("a.js", b"a", 0o644)])
    with open(os.path.join(os.fsencode(src), b"bad\xff.js"), "wb") as f:
        f.write(b"x")
    with pytest.raises(PackagingError, match=r"file name is not valid UTF-8"):
        build_package(src)
    assert names(build_package(src, exclude=["bad*"])) == ["a.js"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_a_packaging_error(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("a.js", b"a", 0o000)])
    with pytest.raises(PackagingError, match=r"cannot read .*a\.js: Permission denied"):
        build_package(src)


def test_fifo_is_refused(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("a.js", b"a", 0o644)])
    os.mkfifo(src / "pipe")
    with pytest.raises(PackagingError, match=r"pipe: not a regular file"):
        build_package(src)


# --------------------------------------------------------------------------------------------------
# Missing / empty src


def test_missing_src(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(PackagingError) as exc:
        build_package(missing)
    assert str(exc.value) == f"code directory {missing} does not exist (inputs.src)"
    assert exc.value.exit_code == 2


def test_src_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f.zip").write_bytes(b"PK")
    with pytest.raises(PackagingError) as exc:
        build_package(tmp_path / "f.zip")
    assert str(exc.value) == f"code directory {tmp_path / 'f.zip'} is not a directory (inputs.src)"


def test_empty_src(tmp_path: Path) -> None:
    (tmp_path / "src" / "only" / "dirs").mkdir(parents=True)
    with pytest.raises(PackagingError) as exc:
        build_package(tmp_path / "src")
    assert str(exc.value) == f"code directory {tmp_path / 'src'} has no files to package (inputs.src)"


def test_everything_excluded(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", [("a.js", b"a", 0o644), (".git/HEAD", b"h", 0o644)])
    with pytest.raises(PackagingError) as exc:
        build_package(src, exclude=["*.js"])
    assert str(exc.value) == (
        f"code directory {src} has no files to package once exclude ['*.js'] is applied (inputs.src, inputs.exclude)"
    )


# --------------------------------------------------------------------------------------------------
# Size limits

HINT = (
    "exclude what the function does not need at runtime (e.g. exclude: ['node_modules/**', 'tests/']), "
    "move dependencies to a layer, or upload the zip to COS and deploy it with src: {bucket, object}"
)


def synthetic(zip_size: int, unpacked: int = 0) -> CodePackage:
    data = bytes(zip_size)
    return CodePackage(
        zip_bytes=data,
        sha256=hashlib.sha256(data).hexdigest(),
        file_count=1,
        unpacked_size=unpacked or zip_size,
        source=Path("/proj/src"),
    )


@pytest.mark.parametrize(
    ("zip_size", "creating", "ok"),
    [
        (20 * MIB, False, True),
        (20 * MIB + 1, False, False),
        (20 * MIB + 1, True, True),
        (50 * MIB, True, True),
        (50 * MIB + 1, True, False),
    ],
)
def test_zip_size_limits(zip_size: int, creating: bool, ok: bool) -> None:
    pkg = synthetic(zip_size)
    if ok:
        check_size(pkg, creating=creating)
        return
    with pytest.raises(PackagingError) as exc:
        check_size(pkg, creating=creating)
    action, limit = (
        ("CreateFunction", "50.0 MiB (52428800 bytes)")
        if creating
        else (
            "UpdateFunctionCode",
            "20.0 MiB (20971520 bytes)",
        )
    )
    found = f"{zip_size / MIB:.1f} MiB ({zip_size} bytes)"
    assert str(exc.value) == (
        f"code package from /proj/src is too large for {action}: the zip is {found}, the limit is {limit}; {HINT}"
    )
    assert exc.value.exit_code == 2


def test_unpacked_size_limit() -> None:
    check_size(synthetic(1000, unpacked=500 * MIB), creating=False)
    with pytest.raises(PackagingError) as exc:
        check_size(synthetic(1000, unpacked=500 * MIB + 1), creating=True)
    assert str(exc.value) == (
        "code package from /proj/src is too large: unpacked it is 500.0 MiB (524288001 bytes), "
        f"the limit is 500.0 MiB (524288000 bytes) per function version; {HINT}"
    )


def test_inline_request_size_is_base64_length() -> None:
    for n in (0, 1, 2, 3, 4, 1000):
        assert inline_request_size(synthetic(n)) == len(__import__("base64").b64encode(bytes(n)))
