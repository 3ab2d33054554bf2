"""The planner as a specification: remote snapshot + inputs → exact plan (pure, no I/O)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from component.cloud.api import AliasInfo, VersionInfo, VersionMatch, VersionWeight
from component.deploy.instructions import (
    NEW_VERSION,
    CodeRef,
    CreateFunction,
    DeleteFunction,
    PublishVersion,
    PutAlias,
    UpdateFunctionCode,
    UpdateFunctionConfiguration,
    WaitUntilActive,
    WaitUntilGone,
)
from component.deploy.planner import create_params, plan_deploy, version_marker
from component.deploy.remote import RemoteSnapshot
from component.deploy.spec import DeploySpec, build_spec
from component.errors import ConfigError

CODE = CodeRef(sha256="a" * 64, size=100)
OTHER_SHA = "b" * 64


def spec(**inputs: Any) -> DeploySpec:
    base = {"src": "./src", "runtime": "Python3.9", "handler": "index.main_handler", "name": "fn"}
    return build_spec({**base, **inputs}, root=Path("/p"), instance="fn", stage="dev", app="demo")


def live(s: DeploySpec, **overrides: Any) -> dict[str, Any]:
    """A GetFunction body matching the spec exactly."""
    body = {"FunctionName": "fn", "Status": "Active", "Runtime": "Python3.9", "Handler": "index.main_handler"}
    body.update({"MemorySize": 128, "Timeout": 3, **s.function.config})
    body.update(overrides)
    return body


def version(number: str, s: DeploySpec | None = None) -> VersionInfo:
    marker = version_marker(s.function.fingerprint(CODE.sha256 or "")) if s else ""
    return VersionInfo(number, f"Published {marker}", "Active")


def default_alias(*weights: tuple[str, float]) -> AliasInfo:
    return AliasInfo(
        "$DEFAULT", "$LATEST", tuple(VersionWeight(v, w) for v, w in weights), description="Configured by scf-component"
    )


def test_missing_function_is_created_then_waited_for() -> None:
    s = spec()
    plan = plan_deploy(s, RemoteSnapshot(function=None), CODE)
    assert plan.instructions == (CreateFunction("fn", CODE, create_params(s.function)), WaitUntilActive("fn"))
    assert create_params(s.function)["MemorySize"] == 128 and create_params(s.function)["Timeout"] == 3


def test_create_failed_function_is_deleted_and_recreated() -> None:
    s = spec()
    plan = plan_deploy(s, RemoteSnapshot(function={"Status": "CreateFailed"}), CODE)
    assert [type(i) for i in plan.instructions] == [DeleteFunction, WaitUntilGone, CreateFunction, WaitUntilActive]


def test_unchanged_function_plans_no_write() -> None:
    s = spec()
    remote = RemoteSnapshot(function=live(s), code_sha256=CODE.sha256, alias=default_alias())
    assert plan_deploy(s, remote, CODE).instructions == ()


def test_changed_code_updates_code_only() -> None:
    s = spec()
    remote = RemoteSnapshot(function=live(s), code_sha256=OTHER_SHA, alias=default_alias())
    plan = plan_deploy(s, remote, CODE)
    assert plan.instructions == (UpdateFunctionCode("fn", CODE, "index.main_handler"), WaitUntilActive("fn"))


CONFIG_CASES = [
    ({"memorySize": 256}, {"MemorySize": 256}),
    ({"timeout": 20}, {"Timeout": 20}),
    ({"description": "new"}, {"Description": "new"}),
    ({"environment": {"variables": {"A": 1}}}, {"Environment": {"Variables": [{"Key": "A", "Value": "1"}]}}),
]


@pytest.mark.parametrize(("inputs", "changes"), CONFIG_CASES)
def test_config_change_sends_only_the_fields_that_differ(inputs: dict[str, Any], changes: dict[str, Any]) -> None:
    before = spec()
    after = spec(**inputs)
    remote = RemoteSnapshot(function=live(before), code_sha256=CODE.sha256, alias=default_alias())
    plan = plan_deploy(after, remote, CODE)
    config_steps = [i for i in plan.instructions if isinstance(i, UpdateFunctionConfiguration)]
    assert [c.changes for c in config_steps] == [changes]
    assert not any(isinstance(i, UpdateFunctionCode) for i in plan.instructions)


def test_environment_order_does_not_count_as_a_change() -> None:
    s = spec(environment={"variables": {"A": "1", "B": "2"}})
    body = live(s, Environment={"Variables": [{"Key": "B", "Value": "2"}, {"Key": "A", "Value": "1"}]})
    remote = RemoteSnapshot(function=body, code_sha256=CODE.sha256, alias=default_alias())
    assert plan_deploy(s, remote, CODE).instructions == ()


def test_runtime_change_is_refused_with_a_clear_error() -> None:
    s = spec()
    remote = RemoteSnapshot(function=live(s, Runtime="Python3.6"), code_sha256=CODE.sha256)
    with pytest.raises(ConfigError, match=r"cannot change the runtime of existing function fn from Python3\.6"):
        plan_deploy(s, remote, CODE)


# The Node component's scenario table (tencent-scf-component.md §3) on $DEFAULT: inputs, versions that
# exist, $DEFAULT before → publish?, alias target (None: untouched).
DEFAULT_TABLE = [
    ("never published, plain", {}, [], default_alias(), False, None),
    ("traffic without a version", {"traffic": 0.1}, [], default_alias(), False, None),
    ("publish=true", {"publish": True}, ["1"], default_alias(), True, None),
    ("traffic=0.1 with L=1", {"traffic": 0.1}, ["1"], default_alias(), False, default_alias(("1", 0.9))),
    ("traffic=1.0 with L=1", {"traffic": 1.0}, ["1"], default_alias(("1", 0.9)), False, default_alias()),
    (
        "publish+traffic=0",
        {"publish": True, "traffic": 0},
        ["1"],
        default_alias(),
        True,
        default_alias((NEW_VERSION, 1)),
    ),
]


@pytest.mark.parametrize(("case", "inputs", "versions", "before", "publishes", "target"), DEFAULT_TABLE)
def test_default_alias_follows_the_node_scenario_table(
    case: str,
    inputs: dict[str, Any],
    versions: list[str],
    before: AliasInfo,
    publishes: bool,
    target: AliasInfo | None,
) -> None:
    s = spec(**inputs)
    remote = RemoteSnapshot(
        function=live(s), code_sha256=CODE.sha256, versions=tuple(version(v) for v in versions), alias=before
    )
    plan = plan_deploy(s, remote, CODE)
    assert any(isinstance(i, PublishVersion) for i in plan.instructions) == publishes, case
    puts = [i for i in plan.instructions if isinstance(i, PutAlias)]
    assert [p.target for p in puts] == ([target] if target else []), case
    if case == "traffic without a version":
        assert plan.warnings and "no published version" in plan.warnings[0]


def test_publish_true_is_not_repeated_when_the_newest_version_already_holds_this_code() -> None:
    s = spec(publish=True)
    remote = RemoteSnapshot(
        function=live(s), code_sha256=CODE.sha256, versions=(version("3", s),), alias=default_alias()
    )
    plan = plan_deploy(s, remote, CODE)
    assert plan.instructions == () and plan.candidate == "3"


def named(main: str, *weights: tuple[str, float], name: str = "release") -> AliasInfo:
    return AliasInfo(
        name, main, tuple(VersionWeight(v, w) for v, w in weights), description="Configured by scf-component"
    )


NAMED_TABLE = [
    # traffic, newest is current?, alias before, alias after
    (0.1, False, named("1"), named("1", (NEW_VERSION, 0.1))),
    (0.5, True, named("1", ("2", 0.1)), named("1", ("2", 0.5))),
    (1.0, True, named("1", ("2", 0.5)), named("2")),
    (0.0, True, named("1", ("2", 0.5)), named("1")),
    (None, False, named("1"), named(NEW_VERSION)),
    (0.1, False, None, named("2", (NEW_VERSION, 0.1))),  # a new alias starts on the stable version (#16 item 1)
]


@pytest.mark.parametrize(("traffic", "current", "before", "after"), NAMED_TABLE)
def test_named_alias_shifts_from_its_stable_version_to_the_candidate(
    traffic: float | None, current: bool, before: AliasInfo | None, after: AliasInfo
) -> None:
    s = spec(aliasName="release", **({} if traffic is None else {"traffic": traffic}))
    versions = (version("1"), version("2", s if current else None))
    remote = RemoteSnapshot(function=live(s), code_sha256=CODE.sha256, versions=versions, alias=before)
    plan = plan_deploy(s, remote, CODE)
    assert any(isinstance(i, PublishVersion) for i in plan.instructions) == (not current)
    puts = [i for i in plan.instructions if isinstance(i, PutAlias)]
    assert [(p.target.main_version, p.target.weights, p.create) for p in puts] == [
        (after.main_version, after.weights, before is None)
    ]


RECORD_CASES = [
    # alias before (description), traffic, expected record after
    ('Configured by scf-component scf:{"p":["1"],"rb":[]}', 0.1, '{"p":["1"],"rb":[]}'),
    ('Configured by scf-component scf:{"p":["1"],"rb":[]}', 1.0, '{"p":["1","<new>"],"rb":[]}'),
    ("hand-written", 1.0, '{"p":["1","<new>"],"rb":[]}'),  # the version it served is the rollback target
]


@pytest.mark.parametrize(("description", "traffic", "record"), RECORD_CASES)
def test_full_promotion_is_recorded_in_the_alias_description(description: str, traffic: float, record: str) -> None:
    s = spec(aliasName="release", traffic=traffic)
    before = AliasInfo("release", "1", description=description)
    remote = RemoteSnapshot(function=live(s), code_sha256=CODE.sha256, versions=(version("1"),), alias=before)
    (put,) = [i for i in plan_deploy(s, remote, CODE).instructions if isinstance(i, PutAlias)]
    assert put.target.description.endswith("scf:" + record)
    assert put.target.description.startswith(description.split(" scf:", maxsplit=1)[0])


def test_named_alias_already_at_target_plans_nothing() -> None:
    s = spec(aliasName="release", traffic=0.5)
    versions = (version("1"), version("2", s))
    alias = AliasInfo("release", "1", (VersionWeight("2", 0.5),), description='x scf:{"p":["1"],"rb":[]}')
    remote = RemoteSnapshot(function=live(s), code_sha256=CODE.sha256, versions=versions, alias=alias)
    assert plan_deploy(s, remote, CODE).instructions == ()


def test_rules_route_the_candidate_by_header() -> None:
    rules = [{"key": "invoke.headers.User", "method": "exact", "expression": "Bob"}]
    s = spec(aliasName="prepub", rules=rules)
    versions = (version("3"), version("4", s))
    remote = RemoteSnapshot(
        function=live(s), code_sha256=CODE.sha256, versions=versions, alias=named("3", name="prepub")
    )
    (put,) = [i for i in plan_deploy(s, remote, CODE).instructions if isinstance(i, PutAlias)]
    assert put.target.main_version == "3"
    assert put.target.matches == (VersionMatch("4", "invoke.headers.User", "exact", "Bob"),)
    assert put.target.weights == ()


@pytest.mark.parametrize(("transition", "max_polls"), [(0.5, 11), (1.0, 15), (2.0, 20), (10.0, 32), (60.0, 82)])
def test_poll_schedule_overshoots_a_transition_by_at_most_15_percent(transition: float, max_polls: int) -> None:
    from component.deploy.waiter import Backoff

    waited, polls = 0.0, 0
    backoff = Backoff()
    while waited < transition:
        waited += backoff.next_delay(waited)
        polls += 1
    assert waited <= transition * 1.15 + backoff.first
    assert polls <= max_polls
