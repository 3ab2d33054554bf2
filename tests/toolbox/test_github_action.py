"""The GitHub Action (issue 18): ``action.yml`` runs ``component/toolbox/github_action.py``; this runs it
the way the action does (a process with the action's environment) against the emulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from component.toolbox.github_action import deploy_argv, step_outputs
from tests.conftest import Cloud

ROOT = Path(__file__).resolve().parents[2]


def read_outputs(path: Path) -> dict[str, str]:
    blocks = re.findall(r"^([\w-]+)<<(scf_[0-9a-f]+)\n(.*?)\n\2$", path.read_text(), re.S | re.M)
    return {name: value for name, _, value in blocks}


def run_action(cloud: Cloud, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENT", "SCF_"))}
    env.update({"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary), "PYTHONPATH": str(ROOT),
                "SCF_ENDPOINT": cloud.endpoint})
    env.update({f"SCF_ACTION_{k.upper()}": v for k, v in inputs.items()})
    done = subprocess.run([sys.executable, "-m", "component.toolbox.github_action"], env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    return done, output, summary


def test_the_action_deploys_and_exposes_function_version_and_routing(
    cloud: Cloud, project: Path, tmp_path: Path
) -> None:
    done, output, summary = run_action(cloud, tmp_path, target=str(project), inputs="aliasName=release\npublish=true\n")
    assert done.returncode == 0, done.stderr
    outputs = read_outputs(output)
    assert {k: outputs[k] for k in ("function-name", "version", "alias", "routing")} == {
        "function-name": "hello-dev-demo", "version": "1", "alias": "release", "routing": "{1: 100%}"}
    assert '"functionName": "hello-dev-demo"' in outputs["outputs"]
    assert "hello-dev-demo" in summary.read_text()  # the summary scf deploy writes itself


def test_a_failed_deploy_fails_the_step_and_sets_no_outputs(cloud: Cloud, project: Path, tmp_path: Path) -> None:
    done, output, _ = run_action(cloud, tmp_path, target=str(project), inputs="traffic=2")
    assert done.returncode == 2 and "traffic" in done.stderr
    assert not output.exists()


@pytest.mark.parametrize(
    ("env", "argv"),
    [
        ({}, ["deploy", "--json", "--target", "."]),
        ({"SCF_ACTION_TARGET": "svc", "SCF_ACTION_STAGE": "prod"}, ["deploy", "--json", "--target", "svc", "--stage",
                                                                    "prod"]),
        ({"SCF_ACTION_INPUTS": "traffic=0.1\n\n  aliasName=release \n"},
         ["deploy", "--json", "--target", ".", "--inputs", "traffic=0.1", "aliasName=release"]),
        ({"SCF_ACTION_ARGS": "--app 'my app' --dry-run"},
         ["deploy", "--json", "--target", ".", "--app", "my app", "--dry-run"]),
    ],
)
def test_inputs_become_the_deploy_command_line(env: dict[str, str], argv: list[str]) -> None:
    assert deploy_argv(env) == argv


def test_a_project_of_several_instances_sets_only_the_whole_document() -> None:
    assert step_outputs({"base": {"functionName": "b"}}) == {"outputs": '{"base": {"functionName": "b"}}'}


def test_action_yml_passes_every_input_to_the_script_and_maps_every_output() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    deploy = next(s for s in steps if s.get("id") == "deploy")
    assert deploy["run"] == "python -m component.toolbox.github_action"
    passed = {k.removeprefix("SCF_ACTION_").lower() for k in deploy["env"]}
    assert passed == set(action["inputs"]) - {"python-version"}
    sample = step_outputs({"functionName": "f", "lastVersion": "1", "traffic": 1, "routing": "{1: 100%}"})
    assert set(action["outputs"]) == set(sample)
    for name, spec in action["outputs"].items():
        assert spec["value"] == f"${{{{ steps.deploy.outputs.{name} }}}}"
