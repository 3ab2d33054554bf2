"""Local files that cannot be written after the cloud changed: the deploy is done, say so, exit 5.

Each row breaks one local path the tool writes once the function is deployed (the outputs file, the
step summary) or reads before (the credentials profile, the ``--local`` state folder). The result must
be a clean message naming the file — exit 5 when the cloud was changed (the function exists, the
outputs are still printed on stdout), exit 2 when nothing was sent — and never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.reliability.conftest import look, make_project, run_exact

FUNCTION = "app-dev-app"
OUTPUTS = Path(".serverless") / "app.dev.outputs.json"


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` cannot be written into, even by root (``chattr +i``), for the duration."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], check=False).returncode:
        pytest.skip("running as root without chattr: cannot make a folder read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def serverless_is_a_file(root: Path, env: dict[str, str]) -> None:
    (root / ".serverless").write_text("not a folder\n")


def outputs_is_a_directory(root: Path, env: dict[str, str]) -> None:
    (root / OUTPUTS).mkdir(parents=True)


def summary_is_a_directory(root: Path, env: dict[str, str]) -> None:
    (root / "summary").mkdir()
    env["GITHUB_STEP_SUMMARY"] = str(root / "summary")


def summary_in_a_missing_folder(root: Path, env: dict[str, str]) -> None:
    env["GITHUB_STEP_SUMMARY"] = str(root / "missing" / "summary.md")


@dataclass(frozen=True)
class Broken:
    setup: Callable[[Path, dict[str, str]], None]
    message: str  # the warning and the final error line both carry it


CASES = {
    ".serverless is a file": Broken(serverless_is_a_file, "could not write the outputs file"),
    "the outputs file is a directory": Broken(outputs_is_a_directory, "could not write the outputs file"),
    "GITHUB_STEP_SUMMARY is a directory": Broken(summary_is_a_directory,
                                                 "could not append to GITHUB_STEP_SUMMARY"),
    "GITHUB_STEP_SUMMARY in a missing folder": Broken(summary_in_a_missing_folder,
                                                      "could not append to GITHUB_STEP_SUMMARY"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_deploy_that_cannot_write_locally_is_done_and_exits_5(
    case: str, cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "app")
    env: dict[str, str] = {}
    CASES[case].setup(root, env)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 5, run.stderr
    assert "Traceback" not in run.stderr
    assert f"warning: {CASES[case].message}" in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the deploy of app is done in the cloud; only local files are missing"), last
    assert CASES[case].message in last
    assert "functionName:" in run.stdout  # the outputs are still printed
    assert look(cloud.endpoint, FUNCTION).status == "Active"


def test_a_read_only_checkout_deploys_and_exits_5(cloud: Cloud, tmp_path: Path) -> None:
    root = make_project(tmp_path / "app")
    with read_only(root):
        run = cloud.scf("deploy", "--target", str(root), "--json")
    assert run.exit_code == 5, run.stderr
    assert '"exit_code": 5' in run.stderr and "could not write the outputs file" in run.stderr
    assert run.json()["functionName"] == FUNCTION
    assert look(cloud.endpoint, FUNCTION).exists


def test_remove_that_cannot_delete_the_outputs_file_is_done_and_exits_5(cloud: Cloud, tmp_path: Path) -> None:
    root = make_project(tmp_path / "app")
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    (root / OUTPUTS).unlink()
    (root / OUTPUTS).mkdir()
    run = cloud.scf("remove", "--target", str(root))
    assert run.exit_code == 5, run.stderr
    assert "error: function app-dev-app is removed from the cloud; only local files are missing" in run.stderr
    assert not look(cloud.endpoint, FUNCTION).exists


def test_a_rollout_deploy_that_cannot_write_locally_exits_5(cloud: Cloud, tmp_path: Path) -> None:
    root = make_project(tmp_path / "app", "aliasName: release\nrollout: {steps: [1]}\n")
    serverless_is_a_file(root, {})
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 5, run.stderr
    assert "could not write the outputs file" in run.stderr.strip().splitlines()[-1]


def test_the_step_summary_is_never_taken_from_the_projects_env_file(
    cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository must not choose which file of the build machine we append to."""
    root = make_project(tmp_path / "app")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    (root / ".env").write_text(f"GITHUB_STEP_SUMMARY={victim}\n")
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    assert victim.read_text() == "keep\n"
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    assert FUNCTION in summary.read_text() and victim.read_text() == "keep\n"


# --- before any call: exit 2, nothing sent ------------------------------------------------------


def test_an_unreadable_credentials_profile_is_a_clean_error(
    cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/proc/self/mem").exists():
        pytest.skip("needs /proc/self/mem: a regular file whose first read fails, even for root")
    home = tmp_path / "home"
    (home / ".tencentcloud").mkdir(parents=True)
    (home / ".tencentcloud" / "credentials").symlink_to("/proc/self/mem")
    monkeypatch.setenv("HOME", str(home))
    root = make_project(tmp_path / "app")
    run = run_exact(cloud, "deploy", "--target", str(root))
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith(f"error: cannot read the credentials profile {home}/.tencentcloud/credentials: ")
    assert cloud.calls() == []


def test_local_with_an_unwritable_state_folder_is_refused_before_anything(cloud: Cloud, tmp_path: Path) -> None:
    root = make_project(tmp_path / "app")
    serverless_is_a_file(root, {})
    run = run_exact(cloud, "deploy", "--local", "--target", str(root))
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith(f"error: --local keeps the emulator's state in {root}/.serverless, which cannot")
