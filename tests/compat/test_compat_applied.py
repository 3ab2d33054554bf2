"""The compatibility inputs are applied, not only accepted (#13 items 1–5): what reaches the API.

Each case deploys a project to the emulator through the official SDK, checks the parameters of the
write calls, then redeploys (zero writes) and removes it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cloud

READ_PREFIXES = ("Get", "List", "Describe", "Invoke")


def writes(cloud: Cloud, since: int = 0) -> list[dict[str, Any]]:
    return [e for e in cloud.server.request_log()[since:] if not str(e["action"]).startswith(READ_PREFIXES)]


def sent(cloud: Cloud, action: str) -> dict[str, Any]:
    found = [e["params"] for e in writes(cloud) if e["action"] == action]
    assert found, f"no {action} call"
    params: dict[str, Any] = found[-1]
    return params


def make(tmp_path: Path, inputs: str, *, handler: str = "index.py") -> Path:
    root = tmp_path / "app"
    (root / "src").mkdir(parents=True)
    (root / "src" / handler).write_text("def main_handler(event, context):\n    return 1\n", encoding="utf-8")
    head = "component: scf\nname: compat\napp: ''\nstage: ''\norg: ''\ninputs:\n  src: ./src\n  runtime: Python3.9\n"
    (root / "serverless.yml").write_text(head + textwrap.indent(textwrap.dedent(inputs), "  "), encoding="utf-8")
    return root


def cycle(cloud: Cloud, root: Path) -> None:
    """Deploy, redeploy with no write, remove: the lifecycle every compatible file must survive."""
    first = cloud.scf("deploy", "--target", str(root))
    assert first.exit_code == 0, first.stderr
    before = len(cloud.server.request_log())
    again = cloud.scf("deploy", "--target", str(root))
    assert again.exit_code == 0, again.stderr
    assert [e["action"] for e in writes(cloud, before)] == []
    gone = cloud.scf("remove", "--target", str(root))
    assert gone.exit_code == 0, gone.stderr


# (inputs, action, the parameters it must carry (a subset))
APPLIED = [
    ("timeout: 43200\nasyncRunEnable: true\n", "CreateFunction", {"Timeout": 43200, "AsyncRunEnable": "TRUE"}),
    (
        "vpcConfig: {vpcId: '', subnetId: ''}\ncls: {logsetId: , topicId: }\nenvironment: {variables: }\n",
        "CreateFunction",
        {"FunctionName": "compat-dev-compat"},
    ),
    (
        "environment:\n  - {key: REGION, value: ap-guangzhou}\n",
        "CreateFunction",
        {"Environment": {"Variables": [{"Key": "REGION", "Value": "ap-guangzhou"}]}},
    ),
    (
        "type: web\nhandler: ''\nevents:\n  - http:\n      name:\n      parameters:\n        name: my-url\n"
        "        corsConfig: {enable: true, origins: 'https://a.example,https://b.example', maxAge: 60}\n",
        "CreateTrigger",
        {"TriggerName": "my-url", "Type": "http"},
    ),
    (
        "type: web\nevents:\n  - apigw:\n      parameters:\n        serviceName: ''\n        serviceId:\n"
        "        endpoints: [{path: /, method: ANY, function: {type: web}}]\n",
        "CreateApi",
        {"ServiceScfFunctionType": "HTTP", "ServiceScfFunctionName": "compat-dev-compat"},
    ),
    (
        "events:\n  - apigw:\n      parameters:\n        endpoints: [{path: /, method: GET}]\n",
        "CreateApi",
        {"ServiceScfFunctionType": "EVENT"},
    ),
    (
        "events:\n  - timer:\n      name: ''\n      parameters: {cronExpression: '0 */5 * * * * *', name: }\n",
        "CreateTrigger",
        {"TriggerName": "timer-compat-dev", "TriggerDesc": "0 */5 * * * * *"},
    ),
    ("codeUri: ./elsewhere\ntriggers: [{type: timer}]\nnamesapce: prod\n", "CreateFunction", {"Namespace": "default"}),
]


@pytest.mark.parametrize(("inputs", "action", "expected"), APPLIED)
def test_compatibility_inputs_reach_the_api(
    cloud: Cloud, tmp_path: Path, inputs: str, action: str, expected: dict[str, Any]
) -> None:
    root = make(tmp_path, inputs, handler="app.py" if "type: web" in inputs else "index.py")
    if "type: web" in inputs:
        (root / "src" / "scf_bootstrap").write_text("#!/bin/bash\npython3 app.py\n", encoding="utf-8")
    deployed = cloud.scf("deploy", "--target", str(root))
    assert deployed.exit_code == 0, deployed.stderr
    params = sent(cloud, action)
    assert {k: params.get(k) for k in expected} == expected
    cycle(cloud, root)


def test_http_trigger_cors_is_sent_as_the_toolkit_sends_it(cloud: Cloud, tmp_path: Path) -> None:
    root = make(
        tmp_path,
        "events:\n  - http:\n      parameters:\n"
        "        corsConfig: {enable: true, origins: 'https://a.example,https://b.example', maxAge: 60}\n",
    )
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    params = sent(cloud, "CreateTrigger")
    assert params["TriggerName"] == "url-trigger"
    assert '"CorsConfig":{"Enable":true,"Origins":["https://a.example","https://b.example"],"MaxAge":60}' in str(
        params["TriggerDesc"]
    )
    cycle(cloud, root)


def test_ignored_keys_are_named_in_a_warning_and_a_misspelling_stops_before_any_call(
    cloud: Cloud, tmp_path: Path
) -> None:
    root = make(tmp_path, "functionName: other\n")
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 0, run.stderr
    assert "warning: " in run.stderr and "inputs.functionName: unknown input 'functionName' is ignored" in run.stderr
    typo = make(tmp_path / "typo", "trafic: 0.5\n")
    before = len(cloud.server.request_log())
    refused = cloud.scf("deploy", "--target", str(typo))
    assert refused.exit_code == 2
    assert "inputs.trafic: unknown input 'trafic' (did you mean 'traffic'?)" in refused.stderr
    assert cloud.server.request_log()[before:] == []
