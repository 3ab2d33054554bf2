"""``scf init`` (issue 18): every template renders and deploys with ``--local`` right away.

The grayscale playbook is walked the way a newcomer would: init, deploy, a new version for Bob on
prepub, Bob's call reaches it, the candidate's logs, then the rollout on release.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from component.cli import main
from component.render import Reporter
from component.toolbox.init import instance_name, template_names
from component.tools import Tools
from tests.conftest import Cloud, FakeClock, Run
from tests.rollout.cloud import RolloutCloud, open_cloud


def init(*argv: str) -> Run:
    """``scf init`` needs no cloud at all."""
    out, err = io.StringIO(), io.StringIO()
    clock = FakeClock()
    code = main(["init", *argv], Tools(reporter=Reporter(out=out, err=err), sleep=clock.sleep, clock=clock.now))
    return Run(code, out.getvalue(), err.getvalue())

TEMPLATES = ["event-python", "event-nodejs", "web", "grayscale", "multi"]


def scf_ok(cloud: Cloud, *argv: str) -> Any:
    run = cloud.scf(*argv, "--json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def test_no_argument_lists_every_template() -> None:
    run = init()
    assert run.exit_code == 0
    listed = [line.split()[0] for line in run.stdout.splitlines()[1:]]
    assert listed == TEMPLATES == template_names()
    assert [t["name"] for t in init("--json").json()] == TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_deploys_with_local_right_away(cloud: Cloud, tmp_path: Path, template: str) -> None:
    target = tmp_path / f"my-{template}"
    created = init(template, str(target), "--json").json()
    assert created["template"] == template and all(Path(f).is_file() for f in created["files"])
    assert not [f for f in created["files"] if f.endswith(".j2")]
    run = cloud.scf("deploy", "--local", "--target", str(target))
    assert run.exit_code == 0, run.stderr
    assert "error" not in run.stderr
    if template.startswith("event-"):  # runs right away too: Python and Node.js handlers
        invoked = scf_ok(cloud, "invoke", "--local", "--target", str(target), "--event", '{"name":"Bob"}')
        assert json.loads(invoked["result"])["message"] == "hello, Bob", invoked


def test_a_non_empty_folder_is_refused_unless_force(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    run = init("event-python", str(target))
    assert run.exit_code == 2 and "is not empty" in run.stderr and "--force" in run.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert init("event-python", str(target), "--force").exit_code == 0
    assert (target / "serverless.yml").is_file() and (target / "notes.txt").read_text() == "mine"


def test_an_unknown_template_is_a_usage_error(tmp_path: Path) -> None:
    run = init("django", str(tmp_path / "x"))
    assert run.exit_code == 2 and "unknown template 'django'" in run.stderr and "event-python" in run.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("folder", "name"), [("demo", "demo"), ("My_App 2", "my-app-2"), ("42", "app-42")])
def test_names_come_from_the_folder(tmp_path: Path, folder: str, name: str) -> None:
    assert instance_name(tmp_path / folder) == name


class GrayscaleCloud(RolloutCloud):
    """Fake wall clock for the emulator and the tool; traffic through demo-dev's release while pausing."""

    def invoke(self) -> None:
        self.invoke_alias("demo-dev")


def ok(cloud: GrayscaleCloud, *argv: str) -> Any:
    run = cloud.scf(*argv, "--json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def test_grayscale_playbook_from_init_to_bob_then_rollout(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert init("grayscale", str(demo)).exit_code == 0
    with open_cloud(GrayscaleCloud) as cloud:
        assert cloud.scf("deploy", "--target", str(demo)).exit_code == 0  # version 1 on prepub and release
        handler = demo / "src" / "index.py"
        handler.write_text(handler.read_text().replace("hello from", "new code from"))
        prepub = ok(cloud, "deploy", "--target", str(demo / "prepub"))
        assert (prepub["lastVersion"], prepub["routing"]) == ("2", "{1: default, 2: invoke.headers.User exact Bob}")
        invoke = ["invoke", "--target", str(demo / "prepub"), "--qualifier", "prepub", "--routing-key"]
        bob, alice = ok(cloud, *invoke, '{"User":"Bob"}'), ok(cloud, *invoke, '{"User":"Alice"}')
        assert (bob["version"], alice["version"]) == ("2", "1")
        logs = ok(cloud, "logs", "--target", str(demo / "prepub"), "--version", "2")
        assert {e["requestId"] for e in logs} == {bob["functionRequestId"]}  # the candidate's logs: Bob's call
        cloud.per_minute = 30
        outputs = ok(cloud, "deploy", "--target", str(demo / "release"))
        assert (outputs["routing"], outputs["rollout"]["phase"]) == ("{2: 100%}", "Promoted")
