"""The apigw planner is pure: desired gateway specs + remote services → instructions (table-driven)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from component.deploy.apigw import (
    API_DESC,
    CREATED_MARKER,
    RELEASE_DESC,
    GatewaySpec,
    RemoteApi,
    RemoteService,
    gateway_specs,
    plan_gateways,
)
from component.deploy.instructions import (
    ApiBinding,
    CreateApi,
    CreateApiService,
    Instruction,
    ModifyApi,
    ReleaseService,
)
from component.deploy.spec import build_spec

FN = build_spec({"name": "b", "src": "./src"}, root=Path("."), instance="b", stage="dev", app="seed").function
ROOT = ApiBinding("/", "GET", "index", "b", "default", "release")
PREPUB = replace(ROOT, qualifier="prepub")
NEW = "<new service service_a>"


def spec(environment: str = "release", *endpoints: ApiBinding, service_id: str | None = None) -> GatewaySpec:
    return GatewaySpec(service_id, "service_a", "http", ("OUTER",), "Serverless service", environment,
                       endpoints or (ROOT,))


def remote(*apis: tuple[str, ApiBinding], released: tuple[str, ...] = ("release",)) -> RemoteService:
    return RemoteService(
        "service-1", "service_a", f"x ({CREATED_MARKER})", "h/_apigw/service-1", "http",
        tuple(RemoteApi(api_id, b.path, b.method, API_DESC, b) for api_id, b in apis), frozenset(released),
    )


CASES: list[tuple[str, list[GatewaySpec], RemoteService | None, list[Instruction]]] = [
    (
        "new service: create, create API, release",
        [spec()],
        None,
        [
            CreateApiService(NEW, "service_a", "http", f"Serverless service ({CREATED_MARKER})", ("OUTER",)),
            CreateApi(NEW, ROOT),
            ReleaseService(NEW, "release", RELEASE_DESC),
        ],
    ),
    ("unchanged: nothing", [spec()], remote(("api-1", ROOT)), []),
    (
        "same API to another stage with another alias: modify + release that stage only",
        [spec("prepub", PREPUB)],
        remote(("api-1", ROOT)),
        [ModifyApi("service-1", "api-1", PREPUB, ROOT, API_DESC), ReleaseService("service-1", "prepub", RELEASE_DESC)],
    ),
    (
        "unchanged API, stage never released: release only",
        [spec("test")],
        remote(("api-1", ROOT)),
        [ReleaseService("service-1", "test", RELEASE_DESC)],
    ),
    (
        "two events on one service compose in one plan",
        [spec("release"), spec("prepub", PREPUB)],
        remote(("api-1", ROOT)),
        [ModifyApi("service-1", "api-1", PREPUB, ROOT, API_DESC), ReleaseService("service-1", "prepub", RELEASE_DESC)],
    ),
    (
        "new path on an existing service",
        [spec("release", ROOT, replace(ROOT, path="/users"))],
        remote(("api-1", ROOT)),
        [CreateApi("service-1", replace(ROOT, path="/users")), ReleaseService("service-1", "release", RELEASE_DESC)],
    ),
]


@pytest.mark.parametrize(("specs", "found", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_plan(specs: list[GatewaySpec], found: RemoteService | None, expected: list[Instruction]) -> None:
    assert plan_gateways(specs, {"name:service_a": found}) == expected


INPUTS = [
    ({}, ()),
    ({"events": [{"timer": {"parameters": {"cronExpression": "* * * * *"}}}]}, ()),
    (
        {"events": [{"apigw": {"name": "web", "parameters": {"endpoints": [{"path": "/", "method": "any"}]}}}]},
        (GatewaySpec(None, "web", "http", ("OUTER",), "Serverless service", "release",
                     (ApiBinding("/", "ANY", "index", FN.name, "default", "$DEFAULT"),)),),
    ),
    (
        {"events": [{"apigw": {"parameters": {"serviceId": "service-9", "protocols": ["https", "http"],
                                              "environment": "test", "endpoints": []}}}]},
        (GatewaySpec("service-9", "serverless", "http&https", ("OUTER",), "Serverless service", "test", ()),),
    ),
]


@pytest.mark.parametrize(("inputs", "expected"), INPUTS)
def test_gateway_specs_apply_the_node_defaults(inputs: dict[str, object], expected: tuple[GatewaySpec, ...]) -> None:
    assert gateway_specs(inputs, FN) == expected
