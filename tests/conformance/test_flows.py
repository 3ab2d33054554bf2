"""Conformance scenarios (#14): the flows users run, one suite for the emulator and a real account.

By default every scenario runs against a fresh emulator. With credentials in the environment and
``SCF_CONFORMANCE_CLOUD=1`` the ``cloud`` variant runs the same steps against Tencent Cloud (never in CI:
it is skipped otherwise). Each scenario deploys under a unique app name (``conf<hex>``) and removes what it
created in a ``finally``, even when a step fails. Steps go through the ``scf`` command only, so what is
checked is what a user sees.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from component.cli import main
from component.emulator import EmulatorConfig, EmulatorServer
from component.render import Reporter
from component.tools import Tools

ROOT = Path(__file__).parent.parent.parent
# Captured at import, before the suite's autouse fixture strips credentials from the environment.
CLOUD_ENV = {k: v for k, v in os.environ.items() if k.startswith(("TENCENT", "TENCENTCLOUD"))}
CLOUD_WANTED = os.environ.get("SCF_CONFORMANCE_CLOUD") == "1"


@dataclass
class Target:
    name: str
    extra: list[str]

    def scf(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        tools = Tools(reporter=Reporter(out=out, err=err, clock=time.monotonic), sleep=time.sleep,
                      clock=time.monotonic)
        code = main([*argv, *self.extra], tools)
        return code, out.getvalue(), err.getvalue()

    def json(self, *argv: str) -> Any:
        code, out, err = self.scf(*argv, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture(params=["emulator", "cloud"])
def target(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    if request.param == "cloud":
        if not (CLOUD_WANTED and CLOUD_ENV):
            pytest.skip("real-cloud conformance: set credentials and SCF_CONFORMANCE_CLOUD=1")
        for key, value in CLOUD_ENV.items():
            monkeypatch.setenv(key, value)
        yield Target("cloud", [])
        return
    with EmulatorServer(EmulatorConfig(seed=5)) as server:
        yield Target("emulator", ["--endpoint", server.endpoint])


@pytest.fixture
def app() -> str:
    return f"conf{uuid.uuid4().hex[:8]}"


def _project(tmp_path: Path, fixture: str | None = None) -> Path:
    source = ROOT / "tests" / "fixtures" / "projects" / fixture if fixture else ROOT / "examples" / "hello"
    return Path(shutil.copytree(source, tmp_path / "project", ignore=shutil.ignore_patterns(".serverless")))


@pytest.fixture
def removed(target: Target, app: str) -> Iterator[list[Path]]:
    """Projects to remove at the end of the scenario, whatever happened."""
    projects: list[Path] = []
    yield projects
    for project in projects:
        target.scf("remove", "--target", str(project), "--app", app)


def _change(project: Path, text: str) -> None:
    handler = project / "src" / "index.py"
    handler.write_text(handler.read_text() + f"\n# {text}\n")


def test_deploy_then_redeploy_writes_nothing(target: Target, app: str, removed: list[Path], tmp_path: Path) -> None:
    project = _project(tmp_path)
    removed.append(project)
    first = target.json("deploy", "--target", str(project), "--app", app)
    assert first["functionName"] == f"hello-dev-{app}"
    second = target.json("deploy", "--target", str(project), "--app", app)
    assert second["functionName"] == first["functionName"]
    info = target.json("info", "--target", str(project), "--app", app)
    assert info["functionName"] == f"hello-dev-{app}"


def test_release_alias_rule_invoke_and_rollback(target: Target, app: str, removed: list[Path],
                                                tmp_path: Path) -> None:
    project = _project(tmp_path)
    removed.append(project)
    base = ["--target", str(project), "--app", app]
    rule = '[{"key":"invoke.headers.User","method":"exact","expression":"Bob"}]'
    target.json("deploy", *base, "--inputs", "aliasName=prepub")  # version 1
    _change(project, "two")
    target.json("deploy", *base, "--inputs", "aliasName=prepub", f"rules={rule}")  # version 2, for Bob
    bob = target.json("invoke", *base, "--qualifier", "prepub", "--routing-key", '{"User":"Bob"}')
    alice = target.json("invoke", *base, "--qualifier", "prepub", "--routing-key", '{"User":"Alice"}')
    assert (bob["version"], alice["version"]) == ("2", "1")
    target.json("deploy", *base, "--inputs", "aliasName=release", "traffic=1")
    _change(project, "three")
    target.json("deploy", *base, "--inputs", "aliasName=release", "traffic=0.5")  # version 3 gets half
    assert target.json("invoke", *base, "--qualifier", "release")["version"] is None  # a weighted split
    code, _, err = target.scf("rollback", *base, "--alias", "release")
    assert code == 0, err
    (alias,) = [a for a in target.json("info", *base)["aliases"] if a["name"] == "release"]
    assert alias["routing"] == [{"version": "2", "weight": 1.0}]


def test_triggers_are_created_listed_and_removed(target: Target, app: str, removed: list[Path],
                                                 tmp_path: Path) -> None:
    project = _project(tmp_path, "triggers-timer")
    removed.append(project)
    outputs = target.json("deploy", "--target", str(project), "--app", app)
    assert outputs["triggers"], outputs
    code, _, err = target.scf("remove", "--target", str(project), "--app", app)
    assert code == 0, err
    assert target.json("info", "--target", str(project), "--app", app)["exists"] is False
