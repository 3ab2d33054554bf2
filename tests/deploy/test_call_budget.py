"""The calls a deploy makes, and the guards that keep fewer calls safe (#17).

Reads after ``GetFunction`` go out together; an unchanged ``$LATEST`` proven by the newest version needs
no ``GetFunctionAddress``; a code size other than the package's (in a cloud that showed ``CodeSize`` is the
zip's size) proves a change; ``PublishVersion`` after a code update is its own poll; the wait for a new
version sends the version check with its first poll (the alias re-read comes last, after them). Counted as
multisets, since reads sent together reach the emulator in any order.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from component.cloud.api import ScfApi
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.deploy.packager import build_package
from component.deploy.transitions import TransitionHistory
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from tests.conftest import Cloud, FakeClock
from tests.reliability.conftest import change_code, make_project

FUNCTION = "app-dev-app"
SHIFT = ("--inputs.publish=true", "--inputs.traffic=0.1")


class WallClock:
    """The emulator's wall clock (``ModTime``/``AddTime``), moved by the test."""

    def __init__(self) -> None:
        self.now = 1_764_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall() -> WallClock:
    return WallClock()


@pytest.fixture
def timed_cloud(clock: FakeClock, wall: WallClock) -> Iterator[Cloud]:
    with EmulatorServer(EmulatorConfig(clock=clock.now, wall_clock=wall, status_delay=0.0, seed=7)) as server:
        yield Cloud(server, clock)


def deployed(cloud: Cloud, project: Path, *args: str) -> Counter[str]:
    before = len(cloud.calls())
    run = cloud.scf("deploy", "--target", str(project), *args)
    assert run.exit_code == 0, run.stderr
    return Counter(cloud.calls()[before:])


def console(cloud: Cloud) -> ScfApi:
    transport = SdkTransport(Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                             endpoint=cloud.endpoint, sleep=cloud.clock.sleep)
    return ScfApi(transport)


def zipped(text: str) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("index.py", text)
    return base64.b64encode(buffer.getvalue()).decode()


def same_size_code(cloud: Cloud) -> str:
    """Other code whose zip is exactly as large as the one $LATEST holds now."""
    size = int((console(cloud).get_function(FUNCTION) or {})["CodeSize"])
    for pad in range(4096):
        candidate = zipped("def main_handler(e, c):\n    return 0\n" + "#" * pad)
        if len(base64.b64decode(candidate)) == size:
            return candidate
    raise AssertionError("no padding gives the same zip size")


class TickingWall:
    """A wall clock one second later at every reading: no two writes share a second (as with SCF's
    multi-second transitions), so ``ModTime`` < ``AddTime`` proves what a version froze."""

    def __init__(self) -> None:
        self.now = 1_764_000_000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def ticking_cloud(clock: FakeClock) -> Iterator[Cloud]:
    config = EmulatorConfig(clock=clock.now, wall_clock=TickingWall(), status_delay=0.0, seed=7)
    with EmulatorServer(config) as server:
        yield Cloud(server, clock)


def test_the_three_deploys_of_the_issue_make_these_calls(ticking_cloud: Cloud, tmp_path: Path) -> None:
    cloud = ticking_cloud
    project = make_project(tmp_path / "app")
    assert deployed(cloud, project) == Counter({"GetFunction": 2, "CreateFunction": 1})
    change_code(project, "v2")
    assert deployed(cloud, project, *SHIFT) == Counter({
        "GetFunction": 2, "ListVersionByFunction": 1, "GetAlias": 2,  # read; the wait for version 1
        "UpdateFunctionCode": 1, "PublishVersion": 1,  # no poll between them: the publication is the poll
        "GetFunctionAddress": 1, "UpdateAlias": 1,  # version 1's code checked; alias re-read, then written
    })
    assert deployed(cloud, project, *SHIFT) == Counter({"GetFunction": 1, "ListVersionByFunction": 1, "GetAlias": 1})


def test_without_what_the_cloud_showed_before_the_hash_is_read(cloud: Cloud, tmp_path: Path) -> None:
    project = make_project(tmp_path / "app")
    deployed(cloud, project)
    (project / ".serverless" / "transitions.json").unlink()  # a fresh clone: nothing learned
    change_code(project, "v2")
    assert deployed(cloud, project, *SHIFT)["GetFunctionAddress"] == 2  # $LATEST's, then version 1's


@pytest.mark.parametrize(
    ("later", "same_size", "hash_reads"),
    [
        (2.0, True, 1),  # a second writer a while after the publication, with a zip of the very same size
        (0.0, False, 0),  # in the same second as the publication, but a zip of another size: the size says it
        (2.0, False, 0),
    ],
)
def test_code_changed_behind_the_deploys_back_is_read_and_uploaded_again(
    timed_cloud: Cloud, wall: WallClock, tmp_path: Path, later: float, same_size: bool, hash_reads: int
) -> None:
    project = make_project(tmp_path / "app")
    deployed(timed_cloud, project, *SHIFT)
    wall.now += later
    other = same_size_code(timed_cloud) if same_size else zipped("def main_handler(event, context):\n    return 0\n")
    console(timed_cloud).update_code(FUNCTION, {"ZipFile": other})
    calls = deployed(timed_cloud, project, *SHIFT)
    assert calls["GetFunctionAddress"] == hash_reads and calls["UpdateFunctionCode"] == 1
    # Converged without a write. Version 1 (the same code) stays the newest, but $LATEST was rewritten after
    # it (or in its second): the proof no longer holds and the hash is read.
    assert deployed(timed_cloud, project, *SHIFT) == Counter(
        {"GetFunction": 1, "ListVersionByFunction": 1, "GetAlias": 1, "GetFunctionAddress": 1}
    )


def test_same_size_code_written_in_the_second_of_the_publication_is_replaced(
    timed_cloud: Cloud, tmp_path: Path
) -> None:
    """Within one second a write after the publication cannot be told from one before it: the hash is read
    (found by the review: the proof used to accept the tie)."""
    project = make_project(tmp_path / "app")
    deployed(timed_cloud, project, *SHIFT)
    console(timed_cloud).update_code(FUNCTION, {"ZipFile": same_size_code(timed_cloud)})  # the same second
    calls = deployed(timed_cloud, project, *SHIFT)
    assert calls["GetFunctionAddress"] == 1 and calls["UpdateFunctionCode"] == 1
    assert console(timed_cloud).code_sha256(FUNCTION) == build_package(project / "src").sha256


def test_a_publication_refused_while_the_update_runs_waits_and_is_sent_again(tmp_path: Path) -> None:
    clock = FakeClock()
    config = EmulatorConfig(clock=clock.now, status_delay=1.0, seed=7)  # longer than the 0.2 s first guess
    with EmulatorServer(config) as server:
        cloud = Cloud(server, clock)
        project = make_project(tmp_path / "app")
        deployed(cloud, project, "--inputs.publish=true")
        (project / ".serverless" / "transitions.json").unlink()  # nothing learned: the first guess is 0.2 s
        change_code(project, "v2")
        before = len(server.request_log())
        calls = deployed(cloud, project, "--inputs.publish=true")
        refused = [e for e in server.request_log()[before:] if e["action"] == "PublishVersion" and e.get("error")]
        assert [e["error"] for e in refused] == ["FailedOperation.PublishVersion"]
        assert calls["PublishVersion"] == 2 and calls["UpdateFunctionCode"] == 1
        versions = console(cloud).list_versions(FUNCTION)
        assert [v.version for v in versions] == ["1", "2"]
        change_code(project, "v3")
        assert deployed(cloud, project, "--inputs.publish=true")["PublishVersion"] == 1  # learned: 1 s


def test_a_failed_code_update_after_an_unpolled_publication_is_named_then_the_next_deploy_polls(
    cloud: Cloud, tmp_path: Path
) -> None:
    project = make_project(tmp_path / "app", "aliasName: release\n")
    deployed(cloud, project)
    change_code(project, "v2")
    cloud.server.add_fault("UpdateFunctionCode", "status_failure", count=2)
    first = cloud.scf("deploy", "--target", str(project))
    assert first.exit_code == 3, first.stderr
    assert "the code update failed, or another writer replaced it" in first.stderr.strip().splitlines()[-1]
    api = console(cloud)
    assert [v.version for v in api.list_versions(FUNCTION)] == ["1"]  # the version that froze old code is gone
    alias = api.get_alias(FUNCTION, "release")
    assert alias is not None and alias.main_version == "1"
    second = cloud.scf("deploy", "--target", str(project))  # waits for its update: the cloud's reason shows
    assert second.exit_code == 3, second.stderr
    assert second.stderr.strip().splitlines()[-1].startswith(
        f"error: function {FUNCTION} is UpdateFailed: InternalError.System: Injected status failure")
    assert deployed(cloud, project)["PublishVersion"] == 1  # the update works again: polled once, then published
    change_code(project, "v3")
    calls = deployed(cloud, project)
    assert calls["PublishVersion"] == 1 and calls["GetFunction"] == 2  # unpolled again: the read + version wait


def test_a_new_project_polls_once_where_this_users_other_projects_saw_the_transition_end(tmp_path: Path) -> None:
    clock = FakeClock()
    with EmulatorServer(EmulatorConfig(clock=clock.now, status_delay=0.7, seed=7)) as server:
        cloud = Cloud(server, clock)
        first = deployed(cloud, make_project(tmp_path / "one"))
        assert first["GetFunction"] > 2  # nothing learned anywhere: 0.2 s, then back-off polls
        second = deployed(cloud, make_project(tmp_path / "two", document=PROJECT.format("two")))
        assert second["GetFunction"] < first["GetFunction"]  # starts where the first one's transition ended
        third = deployed(cloud, make_project(tmp_path / "three", document=PROJECT.format("three")))
        assert third == Counter({"GetFunction": 2, "CreateFunction": 1})  # the read, then one poll


PROJECT = "component: scf\nname: {}\nstage: dev\ninputs:\n  src: ./src\n"


@pytest.mark.parametrize(("scope", "expected"), [("endpoint", 0.7), ("cloud/ap-guangzhou", 0.2)])
def test_shared_estimates_apply_only_to_the_same_kind_of_endpoint(tmp_path: Path, scope: str, expected: float) -> None:
    shared = tmp_path / "user" / "transitions.json"
    learned = TransitionHistory()
    learned.share(shared, "endpoint")
    learned.observe("fn-a", "CreateFunction", at_most=0.7, at_least=0.7)
    assert learned.save(tmp_path / "a" / "transitions.json")
    fresh = TransitionHistory()
    fresh.share(shared, scope)
    assert fresh.expect("fn-b", "CreateFunction") == pytest.approx(expected)
