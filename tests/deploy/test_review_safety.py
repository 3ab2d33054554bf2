"""Adversarial review of #17's fewer calls: what a hostile or unlucky cloud must not get past a deploy."""

from __future__ import annotations

import base64
import threading
import time
from pathlib import Path

import pytest

from component.cloud.api import AliasInfo, ScfApi, VersionWeight
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.config.project import load_project
from component.deploy.context import spec_for
from component.deploy.markers import version_marker
from component.deploy.packager import build_package
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from tests.conftest import Cloud, Run
from tests.deploy.test_call_budget import FUNCTION, console, deployed
from tests.reliability.conftest import change_code, make_project, wait_for_call
from tests.reliability.test_version_fingerprint import deploy, other_code


def test_a_failed_handler_update_is_not_published_as_a_success(cloud: Cloud, tmp_path: Path) -> None:
    """Only the handler changes: UpdateFunctionCode sends the same zip with the new Handler. When that update
    fails, $LATEST keeps the old handler and the very same code, which the version check cannot tell apart:
    the publication must wait for the update and report its failure, not freeze the old handler under this
    deploy's fingerprint and move the alias to it."""
    project = make_project(tmp_path / "app", "aliasName: release\n")
    deployed(cloud, project)
    text = (project / "serverless.yml").read_text() + "  handler: index.other_handler\n"
    (project / "serverless.yml").write_text(text)
    cloud.server.add_fault("UpdateFunctionCode", "status_failure")
    run = cloud.scf("deploy", "--target", str(project))
    assert run.exit_code == 3, run.stdout
    assert "UpdateFailed" in run.stderr
    api = console(cloud)
    alias = api.get_alias(FUNCTION, "release")
    assert alias is not None and alias.main_version == "1"
    assert [v.version for v in api.list_versions(FUNCTION) if v.version.isdigit()] == ["1"]


# A repository may ship its own .serverless/transitions.json: it is a hint, bounded (SECURITY.md).
SHIPPED = {
    "an estimate of a billion seconds: clamped to 300 s": '{"app-dev-app|UpdateFunctionCode": 1e9}',
    "an integer too large for a float: ignored, no traceback": '{"app-dev-app|UpdateFunctionCode": 1' + "0" * 400 + "}",
}


@pytest.mark.parametrize("case", list(SHIPPED))
def test_a_shipped_transition_history_cannot_hang_or_crash_a_deploy(cloud: Cloud, tmp_path: Path, case: str) -> None:
    project = make_project(tmp_path / "app")
    deployed(cloud, project)
    (project / ".serverless" / "transitions.json").write_text(SHIPPED[case], encoding="utf-8")
    change_code(project, "v2")
    slept = cloud.clock.slept
    run = cloud.scf("deploy", "--target", str(project))
    assert run.exit_code == 0, run.stderr
    assert cloud.clock.slept - slept <= 300


def test_an_alias_changed_while_the_version_check_is_slow_is_not_overwritten(tmp_path: Path) -> None:
    """The compare-and-set re-read of the alias must be the last read before the alias write. Sent together
    with the version's first poll and its code check, it was answered before a slow check ended, and the
    alias written after it: a change by another writer in between was overwritten (before #17 the re-read
    came after the check and saw it)."""
    project = make_project(tmp_path / "app", "aliasName: release\n")
    with EmulatorServer(EmulatorConfig(seed=3, status_delay=0.0)) as server:
        assert deploy(server.endpoint, project).exit_code == 0
        change_code(project, "v2")
        server.log.clear()
        result: list[Run] = []
        thread = threading.Thread(target=lambda: result.append(deploy(server.endpoint, project)))
        thread.start()
        deadline = time.monotonic() + 10
        wait_for_call(server, "PublishVersion")
        server.add_fault("GetFunctionAddress", "latency", latency_ms=1000, function=FUNCTION)  # the version check
        while server.faults.describe():  # the slow read has started (a fired fault leaves the list)
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(0.3)
        api = ScfApi(SdkTransport(Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                                  endpoint=server.endpoint, sleep=time.sleep))
        theirs = AliasInfo("release", "1", (VersionWeight("2", 0.3),), description="someone else's split")
        api.put_alias(FUNCTION, theirs, create=False)
        thread.join(timeout=30)
        [run] = result
        alias = api.get_alias(FUNCTION, "release")
        assert alias is not None and (alias.main_version, alias.weights) == ("1", (VersionWeight("2", 0.3),))
        assert run.exit_code == 3, run.stderr


def test_a_concurrent_version_adopted_instead_of_ours_is_itself_checked(tmp_path: Path) -> None:
    """Someone else published this deploy's snapshot first (a lower number with our fingerprint): the deploy
    adopts their version and deletes its own. The version check must then read *their* version's code, not
    reuse the hash of ours read with the first poll: their version froze other code."""
    project = make_project(tmp_path / "app", "aliasName: release\n")
    with EmulatorServer(EmulatorConfig(seed=3, status_delay=0.0)) as server:
        assert deploy(server.endpoint, project).exit_code == 0
        change_code(project, "v2")
        package = build_package(project / "src")
        fingerprint = spec_for(load_project(project, environ={})).function.fingerprint(package.sha256)
        server.add_fault("PublishVersion", "latency", latency_ms=1500)
        result: list[Run] = []
        thread = threading.Thread(target=lambda: result.append(deploy(server.endpoint, project)))
        thread.start()
        deadline = time.monotonic() + 10
        while server.faults.describe():  # our PublishVersion has reached the cloud and waits there
            assert time.monotonic() < deadline
            time.sleep(0.002)
        api = ScfApi(SdkTransport(Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                                  endpoint=server.endpoint, sleep=time.sleep))
        api.update_code(FUNCTION, {"ZipFile": other_code()})
        time.sleep(0.1)
        api.publish_version(FUNCTION, f"theirs {version_marker(fingerprint)}")  # version 2: other code, our mark
        api.update_code(FUNCTION, {"ZipFile": base64.b64encode(package.zip_bytes).decode()})  # ours again
        thread.join(timeout=30)
        [run] = result
        alias = api.get_alias(FUNCTION, "release")
        assert alias is not None and (alias.main_version, alias.weights) == ("1", ())
        assert run.exit_code == 3, run.stderr
