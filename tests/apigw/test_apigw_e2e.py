"""Issue 8 end to end: API service A with stages release / prepub / test bound to aliases release / prepub /
$DEFAULT of function B, built by three deploys against the emulator and called over plain HTTP."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cloud, copy_fixture

APIGW_WRITES = {"CreateService", "CreateApi", "ModifyApi", "ReleaseService", "UnReleaseService", "DeleteApi",
                "DeleteService"}
BOB_RULE = 'rules=[{"key":"invoke.headers.User","method":"exact","expression":"Bob"}]'


def events(qualifier: str, environment: str) -> str:
    event = {"apigw": {"parameters": {
        "serviceName": "service_a", "protocols": ["http"], "environment": environment,
        "endpoints": [{"path": "/", "method": "GET", "function": {"functionQualifier": qualifier}}],
    }}}
    return "events=" + json.dumps([event])


def set_code(project: Path, code: str) -> None:
    handler = project / "src" / "index.py"
    text = handler.read_text()
    handler.write_text(text.replace(text.splitlines()[0], f'CODE = "{code}"', 1))


def deploy(cloud: Cloud, project: Path, *inputs: str) -> dict[str, Any]:
    run = cloud.scf("deploy", "--target", str(project), "--json", "--inputs", *inputs)
    assert run.exit_code == 0, run.stderr
    outputs: dict[str, Any] = run.json()
    return outputs


def get(url: str, headers: dict[str, str] | None = None) -> tuple[dict[str, Any], str]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read()), str(response.headers["X-Scf-Executed-Version"])


@pytest.fixture
def playbook(cloud: Cloud, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The seed's three stages; returns the project and the URL of each stage."""
    project = copy_fixture("apigw-playbook", tmp_path)
    urls: dict[str, str] = {}
    out = deploy(cloud, project, "aliasName=release", events("release", "release"))  # version 1
    urls["release"] = out["triggers"][0]["urls"][0]
    set_code(project, "v2")
    deploy(cloud, project, "aliasName=prepub", events("prepub", "prepub"))  # prepub created on 2
    set_code(project, "v3")
    out = deploy(cloud, project, "aliasName=prepub", BOB_RULE, events("prepub", "prepub"))  # 2, Bob → 3
    urls["prepub"] = out["triggers"][0]["urls"][0]
    set_code(project, "v4")
    out = deploy(cloud, project, "aliasName=$DEFAULT", events("$DEFAULT", "test"))  # $LATEST = v4
    urls["test"] = out["triggers"][0]["urls"][0]
    return project, urls


CASES = [
    ("release", {}, "v1", "1"),
    ("release", {"User": "Bob"}, "v1", "1"),
    ("prepub", {}, "v2", "2"),
    ("prepub", {"User": "Bob"}, "v3", "3"),
    ("prepub", {"User": "Alice"}, "v2", "2"),
    ("test", {}, "v4", "$LATEST"),
    ("test", {"User": "Bob"}, "v4", "$LATEST"),
]


def test_each_stage_serves_its_alias(cloud: Cloud, playbook: tuple[Path, dict[str, str]]) -> None:
    _, urls = playbook
    for stage, headers, code, version in CASES:
        body, executed = get(urls[stage], headers)
        assert (body["code"], body["version"], executed, body["stage"]) == (code, version, version, stage), (
            stage, headers)


def test_one_service_one_api_and_node_shaped_outputs(cloud: Cloud, playbook: tuple[Path, dict[str, str]]) -> None:
    project, urls = playbook
    services = list(cloud.server.backend.apigateway.apigw_regions["ap-guangzhou"].values())
    assert len(services) == 1 and len(services[0].apis) == 1
    assert sorted(services[0].stages) == ["prepub", "release", "test"]
    outputs = json.loads((project / ".serverless" / "b.dev.outputs.json").read_text())
    trigger = outputs["triggers"][0]
    assert {k: trigger[k] for k in ("serviceName", "protocols", "environment", "created")} == {
        "serviceName": "service_a", "protocols": "http", "environment": "test", "created": True}
    assert trigger["subDomain"] == f"{cloud.endpoint}/_apigw/{trigger['serviceId']}"
    assert trigger["urls"] == [f"http://{trigger['subDomain']}/test/"] == [urls["test"]]
    api = trigger["apiList"][0]
    assert (api["path"], api["method"], api["apiName"], api["created"]) == ("/", "GET", "index", True)
    assert api["apiId"].startswith("api-")


def test_redeploy_makes_no_api_gateway_write(cloud: Cloud, playbook: tuple[Path, dict[str, str]]) -> None:
    project, _ = playbook
    cloud.server.log.clear()
    deploy(cloud, project, "aliasName=$DEFAULT", events("$DEFAULT", "test"))
    assert [c for c in cloud.calls() if c in APIGW_WRITES] == []


def test_remove_deletes_the_apis_and_the_service_it_created(
    cloud: Cloud, playbook: tuple[Path, dict[str, str]]
) -> None:
    project, urls = playbook
    run = cloud.scf("remove", "--target", str(project))
    assert run.exit_code == 0, run.stderr
    assert cloud.server.backend.apigateway.apigw_regions["ap-guangzhou"] == {}
    with pytest.raises(urllib.error.HTTPError) as failure:
        get(urls["release"])
    assert failure.value.code == 404


def test_dry_run_shows_the_api_gateway_steps(cloud: Cloud, tmp_path: Path) -> None:
    project = copy_fixture("apigw-playbook", tmp_path)
    run = cloud.scf("deploy", "--target", str(project), "--dry-run")
    assert run.exit_code == 0, run.stderr
    expected = (
        "CreateService service_a (http, OUTER)",
        "CreateApi in <new service service_a>: GET / → b-dev-seed:release",
        "ReleaseService <new service service_a> to stage release",
    )
    for line in expected:
        assert line in run.stdout
    assert [c for c in cloud.calls() if c in APIGW_WRITES] == []
