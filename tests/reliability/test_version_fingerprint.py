"""A version's fingerprint is trusted only when its code is this deploy's code (#19 item 1).

The race: another writer updates ``$LATEST`` between this deploy's UpdateFunctionCode and its
PublishVersion, so the new version freezes their code under our fingerprint. Made deterministic
with a slow PublishVersion (the emulator's latency fault sleeps before the action runs) and an
UpdateFunctionCode sent by "the console" while it sleeps. The deploy must stop with exit 3 before
the alias moves, and a re-run must publish a true version instead of trusting the false one.
"""

from __future__ import annotations

import base64
import io
import threading
import time
import zipfile
from pathlib import Path

import pytest

from component.cli import main
from component.cloud.api import AliasInfo, ScfApi, VersionInfo, VersionWeight
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.config.project import load_project
from component.deploy.context import spec_for
from component.deploy.instructions import NEW_VERSION, CodeRef, VerifyVersionCode
from component.deploy.packager import build_package
from component.deploy.planner import plan_deploy, version_marker
from component.deploy.remote import RemoteSnapshot
from component.deploy.spec import build_spec
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from component.render import Reporter
from component.tools import Tools
from tests.conftest import Run
from tests.reliability.conftest import change_code, invariant_violations, look, make_project, wait_for_call

FUNCTION = "app-dev-app"


def deploy(endpoint: str, project: Path, *args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    tools = Tools(reporter=Reporter(out=out, err=err), sleep=time.sleep, clock=time.monotonic)
    code = main(["deploy", "--target", str(project), "--endpoint", endpoint, *args], tools)
    return Run(code, out.getvalue(), err.getvalue())


def console(endpoint: str) -> ScfApi:
    transport = SdkTransport(Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                             endpoint=endpoint, sleep=time.sleep)
    return ScfApi(transport)


def other_code() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("index.py", "def main_handler(event, context):\n    return 'someone else'\n")
    return base64.b64encode(buffer.getvalue()).decode()


def test_code_changed_during_publication_stops_before_the_alias_moves(tmp_path: Path) -> None:
    project = make_project(tmp_path / "app", "aliasName: release\n")
    with EmulatorServer(EmulatorConfig(seed=3, status_delay=0.0)) as server:
        assert deploy(server.endpoint, project).exit_code == 0
        change_code(project, "v2")
        server.log.clear()
        server.add_fault("PublishVersion", "latency", latency_ms=500)
        result: list[Run] = []
        thread = threading.Thread(target=lambda: result.append(deploy(server.endpoint, project)))
        thread.start()
        wait_for_call(server, "UpdateFunctionCode")
        console(server.endpoint).update_code(FUNCTION, {"ZipFile": other_code()})  # while PublishVersion sleeps
        thread.join(timeout=30)
        [run] = result
        assert run.exit_code == 3, run.stderr
        last = run.stderr.strip().splitlines()[-1]
        assert last.startswith(f"error: version 2 of {FUNCTION} was published by this deploy but holds other code")
        assert "The alias was not moved; version 2 was deleted so that a re-run publishes a true one" in last
        view = look(server.endpoint, FUNCTION)
        alias = view.alias("release")
        assert alias is not None and (alias.main_version, alias.weights) == ("1", ())
        assert [v.version for v in view.versions if v.version.isdigit()] == ["1"]
        assert invariant_violations(view) == []
        again = deploy(server.endpoint, project)  # $LATEST holds their code: ours goes up again, truly
        assert again.exit_code == 0, again.stderr
        alias = look(server.endpoint, FUNCTION).alias("release")
        assert alias is not None and alias.main_version == "3"
        assert console(server.endpoint).code_sha256(FUNCTION, "3") == build_package(project / "src").sha256


def test_a_version_whose_fingerprint_lies_is_never_trusted(tmp_path: Path) -> None:
    project = make_project(tmp_path / "app", "aliasName: release\n")
    with EmulatorServer(EmulatorConfig(seed=3, status_delay=0.0)) as server:
        assert deploy(server.endpoint, project).exit_code == 0
        change_code(project, "v2")
        spec = spec_for(load_project(project, environ={}))
        fingerprint = spec.function.fingerprint(build_package(project / "src").sha256)
        api = console(server.endpoint)
        api.update_code(FUNCTION, {"ZipFile": other_code()})
        time.sleep(0.1)
        api.publish_version(FUNCTION, f"forged {version_marker(fingerprint)}")  # version 2: their code, our mark
        run = deploy(server.endpoint, project, "--inputs.traffic=0.5")
        assert run.exit_code == 3, run.stderr
        assert f"error: version 2 of {FUNCTION} carries this deploy's fingerprint but holds other code" in run.stderr
        alias = look(server.endpoint, FUNCTION).alias("release")
        assert alias is not None and (alias.main_version, alias.weights) == ("1", ())
        again = deploy(server.endpoint, project, "--inputs.traffic=0.5")
        assert again.exit_code == 0, again.stderr
        alias = look(server.endpoint, FUNCTION).alias("release")
        assert alias is not None and [w.version for w in alias.weights] == ["3"]


# --- where the planner puts the check (pure) ------------------------------------------------------

SHA = "a" * 64
PLAN_CASES = {
    # case: (inputs, versions: (number, fingerprint matches?), alias (main, weights), expected checks)
    "code changed: publish, then check the new version": (
        {"aliasName": "release"}, [("1", False)], ("1", ()), [("$NEW", True)]),
    "trusted by fingerprint, alias moving to it: check it": (
        {"aliasName": "release", "traffic": 0.5}, [("1", False), ("2", True)], ("1", ()), [("2", False)]),
    "trusted, alias already all on it: nothing to check": (
        {"aliasName": "release"}, [("1", False), ("2", True)], ("2", ()), []),
    "trusted, alias already at the target split: nothing": (
        {"aliasName": "release", "traffic": 0.5}, [("1", False), ("2", True)], ("1", (("2", 0.5),)), []),
    "$DEFAULT without publish: the stable version is not chosen by fingerprint": (
        {"traffic": 0.5}, [("1", True)], ("$LATEST", ()), []),
}


@pytest.mark.parametrize("case", list(PLAN_CASES))
def test_the_planner_checks_a_version_before_an_alias_moves_to_it(case: str) -> None:
    inputs, versions, (main, weights), expected = PLAN_CASES[case]
    s = build_spec({"src": "./src", "runtime": "Python3.9", "name": "fn", **inputs}, root=Path("/p"),
                   instance="fn", stage="dev", app="demo")
    mark = version_marker(s.function.fingerprint(SHA))
    infos = tuple(VersionInfo(n, f"Published {mark if ours else '[scf:0000000000000000]'}", "Active")
                  for n, ours in versions)
    body = {"FunctionName": "fn", "Status": "Active", "Runtime": "Python3.9", "Handler": "index.main_handler",
            "MemorySize": 128, "Timeout": 3, **s.function.config}
    record = 'Configured by scf-component scf:{"p":[],"rb":[]}'  # what the planner writes: no text-only write
    alias = AliasInfo(s.release.alias, main, tuple(VersionWeight(v, w) for v, w in weights), description=record)
    remote = RemoteSnapshot(function=body, code_sha256=SHA, versions=infos, alias=alias)
    plan = plan_deploy(s, remote, CodeRef(sha256=SHA, size=1))
    checks = [(c.version.replace(NEW_VERSION, "$NEW"), c.published)
              for c in plan.instructions if isinstance(c, VerifyVersionCode)]
    assert checks == expected
    assert all(c.sha256 == SHA for c in plan.instructions if isinstance(c, VerifyVersionCode))
