"""Faults on every call of the deploy path, then recovery: the cloud is never left inconsistent.

For each action a deploy makes × each fault the emulator can inject, the faulty deploy ends as the
table says (throttling and network errors are retried by the SDK's retryer and succeed; an
``InternalError`` or a failed state exits 3 with the cloud's words). Then a deploy without faults
must succeed and leave the cloud consistent, and a third deploy must make no write at all:

* no alias points at a missing or failed version;
* no fingerprint (``[scf:…]`` in the version description) was published twice;
* the release alias carries the intended routing.

The second half kills a ``scf deploy`` subprocess with SIGKILL right after each step and checks the
same promises after a re-run.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from component.cli import main
from component.cloud.api import AliasInfo, VersionWeight
from component.emulator import EmulatorConfig, EmulatorServer
from component.render import Reporter
from component.tools import Tools
from tests.conftest import Cloud, Run
from tests.reliability.conftest import CloudView, change_code, invariant_violations, look, make_project, writes

FUNCTION = "app-dev-app"
ALIAS = "release"
PROJECT = "aliasName: release\n"

# Which deploy exercises the action: "first" creates function, version 1 and the alias;
# "update" changes code and memory of an existing function and shifts 10 % to the new version.
FIRST_ACTIONS = ("CreateFunction", "CreateAlias")
UPDATE_ACTIONS = (
    "GetFunction",
    "GetFunctionAddress",
    "ListVersionByFunction",
    "GetAlias",
    "UpdateFunctionCode",
    "UpdateFunctionConfiguration",
    "PublishVersion",
    "UpdateAlias",
)
UPDATE_ARGS = ("--inputs.traffic=0.1", "--inputs.memorySize=256")
# What the faulty deploy must do. Throttling is retried on every action; network errors (drop,
# HTTP 500) only on reads: a write may have happened before the connection broke, so the tool stops
# with exit 3 and the re-run converges instead of repeating it blindly.
SAYS_FOR = {"internal_error": "InternalError", "status_failure": "Injected status failure",
            "drop": "ClientNetworkError", "http_500": "ServerNetworkError"}


def expected_exit(action: str, kind: str) -> int:
    if kind == "throttle" or (kind in ("drop", "http_500") and action.startswith(("Get", "List"))):
        return 0
    return 3
TRANSITIONS = ("CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "PublishVersion")


@dataclass(frozen=True)
class Case:
    action: str
    kind: str

    @property
    def scenario(self) -> str:
        return "first" if self.action in FIRST_ACTIONS else "update"


CASES = [Case(a, k) for a in FIRST_ACTIONS + UPDATE_ACTIONS for k in ("throttle", "internal_error", "drop", "http_500")]
CASES += [Case(a, "status_failure") for a in TRANSITIONS]


def intended(scenario: str, view: CloudView) -> AliasInfo:
    """Version 1 stable; after an update 10 % on the newest good version (2, or 3 if 2 failed)."""
    if scenario == "first":
        return AliasInfo(ALIAS, "1")
    newest = max(int(v.version) for v in view.versions if v.status == "Active")
    return AliasInfo(ALIAS, "1", weights=(VersionWeight(str(newest), 0.1),))


def routing(alias: AliasInfo | None) -> tuple[str, tuple[VersionWeight, ...]] | None:
    return None if alias is None else (alias.main_version, alias.weights)


def deploy(cloud: Cloud, project: Path, *args: str) -> Run:
    return cloud.scf("deploy", "--target", str(project), *args)


def assert_recovers(cloud: Cloud, project: Path, args: tuple[str, ...], scenario: str) -> None:
    rerun = deploy(cloud, project, *args)
    assert rerun.exit_code == 0, rerun.stderr
    view = look(cloud.endpoint, FUNCTION)
    assert invariant_violations(view) == []
    assert routing(view.alias(ALIAS)) == routing(intended(scenario, view))
    before = len(cloud.calls())
    third = deploy(cloud, project, *args)
    assert third.exit_code == 0, third.stderr
    assert writes(cloud.calls()[before:]) == [], "a converged deploy must not write"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.action}-{c.kind}" for c in CASES])
def test_fault_then_rerun_converges(cloud: Cloud, tmp_path: Path, case: Case) -> None:
    project = make_project(tmp_path / "app", PROJECT)
    args: tuple[str, ...] = ()
    if case.scenario == "update":
        assert deploy(cloud, project).exit_code == 0
        change_code(project, "v2")
        args = UPDATE_ARGS
    cloud.server.add_fault(case.action, case.kind)
    before = len(cloud.calls())
    faulty = deploy(cloud, project, *args)
    exit_code = expected_exit(case.action, case.kind)
    assert faulty.exit_code == exit_code, faulty.stderr
    assert case.action in cloud.calls()[before:], "the fault must hit the deploy path"
    if exit_code:
        assert SAYS_FOR[case.kind] in faulty.stderr
        assert faulty.stderr.strip().splitlines()[-1].startswith("error: ")
    assert invariant_violations(look(cloud.endpoint, FUNCTION)) == []
    assert_recovers(cloud, project, args, case.scenario)


def test_a_busy_function_is_waited_for(cloud: Cloud, tmp_path: Path) -> None:
    """Another writer left the function Updating: the deploy waits for Active, then proceeds."""
    project = make_project(tmp_path / "app", PROJECT)
    assert deploy(cloud, project).exit_code == 0
    cloud.server.config.status_delay = 20.0
    from component.cloud.api import ScfApi
    from component.cloud.credentials import Credentials
    from component.cloud.sdk import SdkTransport
    from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

    transport = SdkTransport(Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                             endpoint=cloud.endpoint, sleep=cloud.clock.sleep)
    ScfApi(transport).update_configuration(FUNCTION, {"Timeout": 9})
    cloud.server.config.status_delay = 0.0
    assert look(cloud.endpoint, FUNCTION).status == "Updating"
    change_code(project, "v2")
    slept = cloud.clock.slept
    run = deploy(cloud, project, *UPDATE_ARGS)
    assert run.exit_code == 0, run.stderr
    assert cloud.clock.slept - slept >= 20.0
    assert_recovers(cloud, project, UPDATE_ARGS, "update")


# --- kill -9 at each step ------------------------------------------------------------------------

KILL_POINTS = [("first", a) for a in ("GetFunction", "CreateFunction", "PublishVersion", "CreateAlias")]
KILL_POINTS += [("update", a) for a in UPDATE_ACTIONS]


def run_real(endpoint: str, *argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    tools = Tools(reporter=Reporter(out=out, err=err), sleep=time.sleep, clock=time.monotonic)
    code = main([*argv, "--endpoint", endpoint], tools)
    return Run(code, out.getvalue(), err.getvalue())


def spawn_deploy(endpoint: str, project: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENT", "SCF_"))}
    command = [sys.executable, "-m", "component", "deploy", "--target", str(project), "--endpoint", endpoint, *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize(("scenario", "action"), KILL_POINTS, ids=[f"{s}-{a}" for s, a in KILL_POINTS])
def test_kill_9_after_each_step_then_rerun_converges(tmp_path: Path, scenario: str, action: str) -> None:
    project = make_project(tmp_path / "app", PROJECT)
    config = EmulatorConfig(seed=3, status_delay=0.05)
    with EmulatorServer(config) as server:
        args: tuple[str, ...] = ()
        if scenario == "update":
            assert run_real(server.endpoint, "deploy", "--target", str(project)).exit_code == 0
            change_code(project, "v2")
            args = UPDATE_ARGS
        server.log.clear()
        config.latency_ms = 40  # each call takes a while, so the kill lands between two steps
        proc = spawn_deploy(server.endpoint, project, *args)
        deadline = time.monotonic() + 30
        try:
            while not any(e["action"] == action for e in server.request_log()):
                assert proc.poll() is None, f"deploy ended before {action}"
                assert time.monotonic() < deadline
                time.sleep(0.002)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        config.latency_ms = 0
        time.sleep(0.1)  # a request already in flight on the server side finishes
        assert invariant_violations(look(server.endpoint, FUNCTION)) == []
        rerun = run_real(server.endpoint, "deploy", "--target", str(project), *args)
        assert rerun.exit_code == 0, rerun.stderr
        view = look(server.endpoint, FUNCTION)
        assert invariant_violations(view) == []
        assert routing(view.alias(ALIAS)) == routing(intended(scenario, view))
        before = len(server.request_log())
        assert run_real(server.endpoint, "deploy", "--target", str(project), *args).exit_code == 0
        assert writes([str(e["action"]) for e in server.request_log()[before:]]) == []
