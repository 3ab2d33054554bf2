"""Two deploys of the same function at once, with different traffic: one of them wins, cleanly.

The emulator runs on the real clock with latency and a real ``Updating`` time, so the two deploys
(threads, each a full ``scf deploy``) interleave their calls. Afterwards the alias holds exactly one
of the two intended routings (never a mix, never weight lost), the cloud keeps its promises, and a
deploy that lost says so with exit 3 and the cloud's error.

SCF has no conditional UpdateAlias, so the executor re-reads the alias before writing it when the
plan wrote or waited first (compare-and-set, :class:`~component.deploy.executor.AliasChanged`). That
shrinks the window to one round trip but cannot close it: two deploys that write the alias within
one round trip of each other can both exit 0, and the alias then holds the later one's routing.
Two deploys of the same code may both publish it; the one whose version got a number other than the
plan expected finds the other's and deletes its own, so a snapshot is published once.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest

from component.cli import main
from component.cloud.api import AliasInfo, ScfApi
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
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


@pytest.mark.parametrize("stagger", [0.0, 0.03, 0.08, 0.15, 0.22, 0.25, 0.4])
def test_two_deploys_at_once_end_in_one_intended_state(tmp_path: Path, stagger: float) -> None:
    project = make_project(tmp_path / "app", "aliasName: release\n")
    config = EmulatorConfig(seed=5, latency_ms=15, status_delay=0.1)
    with EmulatorServer(config) as server:
        assert deploy(server.endpoint, project).exit_code == 0
        change_code(project, "v2")
        results: dict[float, Run] = {}

        def run(traffic: float, delay: float) -> None:
            time.sleep(delay)
            results[traffic] = deploy(server.endpoint, project, f"--inputs.traffic={traffic}")

        threads = [threading.Thread(target=run, args=(0.1, 0.0)), threading.Thread(target=run, args=(0.3, stagger))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        view = look(server.endpoint, FUNCTION)
    assert invariant_violations(view) == []
    alias = view.alias("release")
    assert alias is not None and alias.main_version == "1"
    shares = sorted(w.weight for w in alias.weights)
    assert len(alias.weights) == 1 and shares[0] in (0.1, 0.3), alias  # one routing, whole, not a mix
    winners = [t for t, r in results.items() if r.exit_code == 0]
    assert winners, {t: r.stderr for t, r in results.items()}
    for traffic, result in results.items():
        if result.exit_code != 0:
            assert result.exit_code == 3, result.stderr
            assert result.stderr.strip().splitlines()[-1].startswith("error: "), result.stderr
            assert traffic != shares[0] or len(winners) == 2, "the alias shows the loser's routing"
    if len(winners) == 1:
        assert shares[0] == winners[0], "the alias must show the routing of the deploy that succeeded"


def deploy_while_another_writes(
    server: EmulatorServer, project: Path, args: tuple[str, ...], other: AliasInfo, *, create: bool
) -> Run:
    """Deploy with a slow code update; once the deploy has read the alias, another writer puts ``other``."""
    server.log.clear()
    server.add_fault("UpdateFunctionCode", "latency", latency_ms=400)
    result: list[Run] = []
    thread = threading.Thread(target=lambda: result.append(deploy(server.endpoint, project, *args)))
    thread.start()
    wait_for_call(server, "GetAlias")
    ScfApi(SdkTransport(Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                        endpoint=server.endpoint, sleep=time.sleep)).put_alias(FUNCTION, other, create=create)
    thread.join(timeout=30)
    [run] = result
    return run


def test_an_alias_changed_during_the_deploy_is_not_overwritten(tmp_path: Path) -> None:
    """Compare-and-set: the alias moved while this deploy was updating code, so the deploy stops (exit 3)."""
    project = make_project(tmp_path / "app", "aliasName: release\n")
    with EmulatorServer(EmulatorConfig(seed=5)) as server:
        assert deploy(server.endpoint, project).exit_code == 0
        change_code(project, "v2")
        hand_edit = AliasInfo("release", "1", description="moved by hand")
        run = deploy_while_another_writes(server, project, ("--inputs.traffic=0.1",), hand_edit, create=False)
        assert run.exit_code == 3, run.stderr
        assert "alias release of app-dev-app changed while this deploy ran" in run.stderr
        view = look(server.endpoint, FUNCTION)
        alias = view.alias("release")
        assert alias is not None and alias.description == "moved by hand" and alias.weights == ()
        assert invariant_violations(view) == []
        assert deploy(server.endpoint, project, "--inputs.traffic=0.1").exit_code == 0
        assert invariant_violations(look(server.endpoint, FUNCTION)) == []


def test_an_alias_created_during_the_deploy_is_not_overwritten(tmp_path: Path) -> None:
    """CreateAlias is its own compare-and-set: no re-read before it, and an alias that appeared meanwhile
    stops the deploy (exit 3) with the alias left as the other writer made it."""
    project = make_project(tmp_path / "app", "")
    with EmulatorServer(EmulatorConfig(seed=5)) as server:
        assert deploy(server.endpoint, project).exit_code == 0
        change_code(project, "v2")
        by_hand = AliasInfo("release", "$LATEST", description="created by hand")
        run = deploy_while_another_writes(server, project, ("--inputs.aliasName=release",), by_hand, create=True)
        actions = [e["action"] for e in server.request_log()]
        assert run.exit_code == 3, run.stderr
        assert "alias release of app-dev-app changed while this deploy ran (read no alias, now" in run.stderr
        alias = look(server.endpoint, FUNCTION).alias("release")
        assert alias is not None and alias.description == "created by hand"
        ours = len(actions) - 1 - actions[::-1].index("CreateAlias")  # the deploy's, after the one by hand
        assert actions[ours + 1:] == ["GetAlias"]  # read only once CreateAlias failed
        assert actions.count("GetAlias") == 2  # and before it only the snapshot's read
