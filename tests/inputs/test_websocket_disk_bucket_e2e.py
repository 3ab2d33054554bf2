"""``protocolType``/``protocolParams`` (WebSocket web functions), ``diskSize`` and ``src.bucket`` (#13).

WebSocket: ``ProtocolType`` at creation, ``ProtocolParams.WSParams.IdleTimeOut`` on create and update,
API Gateway endpoints become WEBSOCKET APIs on GET (the Node component's marking). ``diskSize`` has no
field in the API 3.0: any size but the default 512 is refused before any call. ``src.bucket`` with a
local ``src``: deployed inline, with a warning naming the unused bucket.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, fixture, redeploy_writes, remove, writes

NAME = "chat-dev-demo"


def test_a_websocket_function_deploys_redeploys_with_no_write_and_is_removed(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("websocket", tmp_path)
    outputs = deploy(cloud, project)
    gateway = next(t for t in outputs["triggers"] if t.get("serviceName") == "chat")
    assert [u.split("://")[0] for u in gateway["urls"]] == ["ws", "wss"]
    created = next(e for e in cloud.server.request_log() if e["action"] == "CreateFunction")["params"]
    assert (created["ProtocolType"], created["ProtocolParams"]) == ("WS", {"WSParams": {"IdleTimeOut": 600}})
    remote = call(cloud, "GetFunction", FunctionName=NAME)
    assert (remote["ProtocolType"], remote["ProtocolParams"]) == ("WS", {"WSParams": {"IdleTimeOut": 600}})
    api = next(e for e in cloud.server.request_log() if e["action"] == "CreateApi")["params"]
    assert (api["Protocol"], api["RequestConfig"]) == ("WEBSOCKET", {"Path": "/ws", "Method": "GET"})

    assert redeploy_writes(cloud, project) == []

    assert redeploy_writes(cloud, project, "--inputs.protocolParams.wsParams.idleTimeOut=900") == [
        "UpdateFunctionConfiguration"
    ]
    changed = [e for e in cloud.server.request_log() if e["action"] == "UpdateFunctionConfiguration"][-1]["params"]
    assert "ProtocolType" not in changed and changed["ProtocolParams"] == {"WSParams": {"IdleTimeOut": 900}}

    remove(cloud, project)
    assert "DeleteFunction" in writes(cloud)


REFUSED = [
    (["--inputs.protocolType=WS", "--inputs.type=event"], "inputs.protocolType", "needs a web function"),
    (["--inputs.diskSize=10240"], "inputs.diskSize", "has no DiskSize field"),
]


@pytest.mark.parametrize(("args", "path", "reason"), REFUSED, ids=["ws-on-event", "diskSize"])
def test_what_cannot_be_applied_is_refused_before_any_call(
    cloud: Cloud, project: Path, args: list[str], path: str, reason: str
) -> None:
    run = cloud.scf("deploy", "--target", str(project), *args)
    assert run.exit_code == 2, run.stderr
    assert path in run.stderr and reason in run.stderr
    assert cloud.calls() == []


def test_the_default_disk_size_deploys(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs.diskSize=512")
    assert writes(cloud) == ["CreateFunction"]


def test_a_local_src_with_a_bucket_deploys_inline_and_says_the_bucket_is_unused(
    cloud: Cloud, project: Path
) -> None:
    run = cloud.scf("deploy", "--target", str(project), "--inputs.src.bucket=mybucket", "--inputs.src.src=./src")
    assert run.exit_code == 0, run.stderr
    assert "src.bucket mybucket is not used" in run.stderr
    created = next(e for e in cloud.server.request_log() if e["action"] == "CreateFunction")["params"]
    assert "ZipFile" in created["Code"]
