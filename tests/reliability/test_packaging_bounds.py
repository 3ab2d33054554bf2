"""A hostile tree costs bounded work: the packager stops at the first running limit it crosses.

Small limits are injected (no big files are written: a "600 MB" file is sparse), and each row says
which limit a tree crosses and the exact message. The links DAG would be walked 2^levels times
without the per-directory bound; the sparse file would be read and compressed whole before the
size check.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from component.deploy.packager import PackageLimits, build_package
from component.errors import PackagingError
from tests.conftest import Cloud
from tests.reliability.conftest import make_project, run_exact


def link_dag(levels: int) -> Callable[[Path], None]:
    """``d0/{a,b} -> d1``, ``d1/{a,b} -> d2`` … : no loop, 2^levels paths to the last folder."""

    def build(src: Path) -> None:
        for level in range(levels + 1):
            (src / f"d{level}").mkdir()
        (src / f"d{levels}" / "leaf.txt").write_text("leaf\n")
        for level in range(levels):
            for name in ("a", "b"):
                (src / f"d{level}" / name).symlink_to(f"../d{level + 1}", target_is_directory=True)

    return build


def files_of(count: int, size: int) -> Callable[[Path], None]:
    def build(src: Path) -> None:
        for i in range(count):
            (src / f"f{i:03}.bin").write_bytes(os.urandom(size))

    return build


def sparse(size: int) -> Callable[[Path], None]:
    def build(src: Path) -> None:
        with open(src / "huge.bin", "wb") as handle:
            handle.truncate(size)

    return build


@dataclass(frozen=True)
class Hostile:
    build: Callable[[Path], None]
    limits: PackageLimits
    message: str  # a fragment of the PackagingError


SMALL = PackageLimits(max_unpacked=10_000, max_zip=20_000, max_dir_visits=4)
CASES = {
    "a links DAG 14 levels deep": Hostile(link_dag(14), SMALL, "is reached through symbolic links more than 4 times"),
    "a links DAG, default bound": Hostile(link_dag(14), PackageLimits(), "through symbolic links more than 16 times"),
    "files adding up past the unpacked limit": Hostile(files_of(30, 400), SMALL,
                                                        "its files add up to more than 0.0 MiB (10000 bytes) unpacked"),
    "a 600 MB sparse file": Hostile(sparse(600 * 2**20), PackageLimits(),
                                    "its files add up to more than 500.0 MiB (524288000 bytes) unpacked"),
    "a zip past its limit": Hostile(files_of(4, 4_000), PackageLimits(max_unpacked=10**9, max_zip=8_000),
                                    "the zip passed 0.0 MiB (8000 bytes), the CreateFunction limit"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_tree_is_refused_at_the_first_limit_it_crosses(case: str, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    CASES[case].build(src)
    started = time.monotonic()
    with pytest.raises(PackagingError) as caught:
        build_package(src, limits=CASES[case].limits)
    assert CASES[case].message in str(caught.value)
    assert time.monotonic() - started < 2.0


def test_a_folder_linked_a_few_times_is_still_packaged_under_each_name(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    link_dag(3)(src)
    # d3 itself, twice through d2, 4 times through d1, 8 through d0: 15 visits, within the bound of 16
    assert build_package(src).file_count == 15


def test_a_deploy_of_a_600_mb_tree_is_refused_before_reading_it(cloud: Cloud, tmp_path: Path) -> None:
    root = make_project(tmp_path / "app")
    sparse(600 * 2**20)(root / "src")
    started = time.monotonic()
    run = run_exact(cloud, "deploy", "--target", str(root), "--endpoint", cloud.endpoint)
    assert run.exit_code == 2, run.stderr
    assert "its files add up to more than 500.0 MiB" in run.stderr
    assert time.monotonic() - started < 2.0
    assert cloud.calls() == []


def test_a_deploy_stops_zipping_at_the_inline_request_limit(cloud: Cloud, tmp_path: Path) -> None:
    root = make_project(tmp_path / "app")
    files_of(9, 2**20)(root / "src")  # 9 MiB of random bytes: the zip passes 7.5 MiB before the end
    run = run_exact(cloud, "deploy", "--target", str(root), "--endpoint", cloud.endpoint)
    assert run.exit_code == 2, run.stderr
    assert "the zip passed 7.5 MiB (7864320 bytes), over the API's 10 MiB request limit" in run.stderr
    assert cloud.calls() == []
