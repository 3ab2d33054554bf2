"""The settings applied through their own actions, as pure planning: inputs + what the cloud holds → steps."""

from __future__ import annotations

from typing import Any

import pytest

from component.cloud.api import AsyncRetry
from component.deploy.extras import RemoteExtras, build_extras, plan_extras
from component.deploy.instructions import NEW_VERSION, PutProvisionedConcurrency, UpdateAsyncRetry, UpdateTags

ASYNC = {"asyncRunEnable": True}
CASES: list[tuple[str, dict[str, Any], RemoteExtras, str | None, list[Any]]] = [
    ("async defaults on a new function", ASYNC, RemoteExtras(), None,
     [UpdateAsyncRetry("fn", AsyncRetry(21600, 2), None)]),
    ("async unchanged", {**ASYNC, "msgTTL": 60, "retryNum": 0}, RemoteExtras(AsyncRetry(60, 0)), None, []),
    ("async changed", {**ASYNC, "retryNum": 1}, RemoteExtras(AsyncRetry(21600, 2)), None,
     [UpdateAsyncRetry("fn", AsyncRetry(21600, 1), AsyncRetry(21600, 2))]),
    ("retry settings without async run", {"retryNum": 1}, RemoteExtras(), None, []),
    ("provisioned on the version being published", {"provisionedNum": 2}, RemoteExtras(), NEW_VERSION,
     [PutProvisionedConcurrency("fn", NEW_VERSION, 2, None)]),
    ("provisioned already set on the newest version", {"provisionedNum": 2}, RemoteExtras(provisioned={"3": 2}), "3",
     []),
    ("provisioned on the qualifier", {"provisionedNum": 4, "qualifier": "1"}, RemoteExtras(provisioned={"1": 2}), "3",
     [PutProvisionedConcurrency("fn", "1", 4, 2)]),
    ("provisioned 0 where none is set", {"provisionedNum": 0}, RemoteExtras(), "3", []),
    ("tags on a function not created yet (sent in CreateFunction)", {"tags": {"a": "1"}}, RemoteExtras(), None, []),
    ("tags unchanged, values typed", {"tags": {"a": 1, "b": True}}, RemoteExtras(tags=(("a", "1"), ("b", "true"))),
     None, []),
    ("tags changed", {"tags": {"a": "2"}}, RemoteExtras(tags=(("a", "1"), ("b", "x"))), None,
     [UpdateTags("fn", "ap-guangzhou", (("a", "2"),), (("a", "1"), ("b", "x")))]),
    ("tags absent leave the cloud's alone", {}, RemoteExtras(tags=(("a", "1"),)), None, []),
]


@pytest.mark.parametrize(("case", "inputs", "remote", "candidate", "steps"), CASES, ids=[c[0] for c in CASES])
def test_settings_are_written_only_when_the_cloud_differs(
    case: str, inputs: dict[str, Any], remote: RemoteExtras, candidate: str | None, steps: list[Any]
) -> None:
    planned, _ = plan_extras("fn", "ap-guangzhou", build_extras(inputs), remote, candidate)
    assert planned == steps


WARNINGS = [
    ({"retryNum": 1}, "msgTTL/retryNum are not applied"),
    ({"src": {"bucket": "b", "src": "./src"}}, "src.bucket b is not used"),
]


@pytest.mark.parametrize(("inputs", "warning"), WARNINGS, ids=["retry-without-async", "src-bucket"])
def test_what_is_not_sent_is_said_in_a_warning(inputs: dict[str, Any], warning: str) -> None:
    _, warnings = plan_extras("fn", "ap-guangzhou", build_extras(inputs), RemoteExtras(), None)
    assert any(warning in w for w in warnings)
