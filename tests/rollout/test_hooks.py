"""#19 item 7 and the hook risks: timeouts hold whatever the hook leaves behind, helpers may outlive a
passing hook, hooks get only what they need, and each hook is announced before it runs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from component.rollout.hooks import hook_environment, run_hook
from component.rollout.model import Hook
from tests.rollout.cloud import RolloutCloud, events
from tests.rollout.test_rollout_e2e import deploy, first_release

PAYLOAD = {"stage": "preStep", "step": 2, "candidate": "3"}


@pytest.mark.parametrize(
    ("command", "timeout", "ok", "detail", "within"),
    [
        # a helper left running in the background holds the output open: the hook still passes at once
        ("sleep 20 & exit 0", 5.0, True, "exit code 0", 2.0),
        # a child in its own session keeps the output open after the group is killed: the timeout holds
        ("setsid sleep 20 & sleep 30", 0.5, False, "timed out after 0.5s", 2.0),
        ("sleep 30", 0.3, False, "timed out after 0.3s", 2.0),
        ("echo starting; echo 'gate closed' >&2; exit 3", 5.0, False, "exit code 3: gate closed", 2.0),
        ("true", 5.0, True, "exit code 0", 2.0),
    ],
)
def test_a_hook_is_judged_by_its_own_exit_within_its_timeout(
    tmp_path: Path, command: str, timeout: float, ok: bool, detail: str, within: float
) -> None:
    began = time.monotonic()
    result = run_hook(Hook(command=command, timeout=timeout), PAYLOAD, tmp_path)
    assert (result.ok, result.detail) == (ok, detail)
    assert time.monotonic() - began < within


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PATH": "/bin", "TENCENT_SECRET_KEY": "k", "TENCENT_SECRET_ID": "i"}, {"PATH": "/bin"}),
        ({"TENCENTCLOUD_SESSION_TOKEN": "t", "GITHUB_TOKEN": "g", "HOME": "/h"}, {"HOME": "/h"}),
        ({"HTTPS_PROXY": "http://proxy:3128", "AWS_SECRET_ACCESS_KEY": "a"}, {"HTTPS_PROXY": "http://proxy:3128"}),
    ],
)
def test_hooks_get_only_what_they_need(environ: dict[str, str], expected: dict[str, str]) -> None:
    step = {"SCF_ROLLOUT_STAGE": "preStep", "SCF_ROLLOUT_STEP": "2", "SCF_ROLLOUT_CANDIDATE": "3"}
    assert hook_environment(environ, PAYLOAD) == {**expected, **step}


def test_a_hook_process_does_not_see_the_cloud_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENCENT_SECRET_KEY", "a-real-key")
    check = 'test -z "$TENCENT_SECRET_KEY" && test -n "$PATH" && test "$SCF_ROLLOUT_STEP" = 2 || exit 9'
    assert run_hook(Hook(command=check, timeout=5), PAYLOAD, tmp_path).detail == "exit code 0"


def test_each_hook_is_announced_before_it_runs(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    hook = {"preStep": [{"command": "true", "timeout": "5s"}]}
    run = rcloud.scf("deploy", "--target", str(canary), "--inputs", f"rollout.hooks={json.dumps(hook)}")
    assert run.exit_code == 0, run.stderr
    lines = [line.split("] ", 1)[-1] for line in run.stderr.splitlines() if "hook command" in line]
    assert lines[:2] == [
        "preStep hook command `true`: running for step 1/3 (timeout 5s)",
        "preStep hook command `true`: passed (exit code 0)",
    ]
    (canary / "src" / "index.py").write_text("def main_handler(event, context):\n    return 3\n")
    as_json = deploy(rcloud, canary, "--inputs", f"rollout.hooks={json.dumps(hook)}")
    started = events(as_json, "rollout.hook.start")  # type: ignore[arg-type]
    assert [(e["stage"], e["step"], e["timeout"]) for e in started][:1] == [("preStep", 1, 5.0)]
