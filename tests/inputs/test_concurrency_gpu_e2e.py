"""``instanceConcurrencyConfig`` (web functions) and ``nodeType``/``nodeSpec`` (#13).

Instance concurrency goes in ``InstanceConcurrencyConfig`` on create and update (``DynamicEnabled``
TRUE/FALSE, ``MaxConcurrency`` default 2), compared by what was set; on an event function nothing is
sent (as from the Node toolkit) and a warning says so. ``nodeType``/``nodeSpec`` have no field in the
API 3.0: refused before any call.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, fixture, redeploy_writes

CONCURRENCY = ["--inputs.instanceConcurrencyConfig.dynamicEnabled=true",
               "--inputs.instanceConcurrencyConfig.maxConcurrency=10"]


def test_a_web_function_gets_its_instance_concurrency(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("websocket", tmp_path)
    deploy(cloud, project, *CONCURRENCY)
    created = next(e for e in cloud.server.request_log() if e["action"] == "CreateFunction")["params"]
    assert created["InstanceConcurrencyConfig"] == {"DynamicEnabled": "TRUE", "MaxConcurrency": 10}
    remote = call(cloud, "GetFunction", FunctionName="chat-dev-demo")["InstanceConcurrencyConfig"]
    assert (remote["DynamicEnabled"], remote["MaxConcurrency"]) == ("TRUE", 10)
    assert redeploy_writes(cloud, project, *CONCURRENCY) == []
    assert redeploy_writes(cloud, project, CONCURRENCY[0], "--inputs.instanceConcurrencyConfig.maxConcurrency=20") == [
        "UpdateFunctionConfiguration"
    ]


def test_an_event_function_gets_nothing_and_a_warning(cloud: Cloud, project: Path) -> None:
    run = cloud.scf("deploy", "--target", str(project), *CONCURRENCY)
    assert run.exit_code == 0, run.stderr
    assert "instanceConcurrencyConfig is not applied" in run.stderr
    created = next(e for e in cloud.server.request_log() if e["action"] == "CreateFunction")["params"]
    assert "InstanceConcurrencyConfig" not in created


@pytest.mark.parametrize("arg", ["--inputs.nodeType=GPU", "--inputs.nodeSpec=GN7.2XLARGE32"])
def test_gpu_nodes_are_refused_before_any_call(cloud: Cloud, project: Path, arg: str) -> None:
    run = cloud.scf("deploy", "--target", str(project), arg)
    assert run.exit_code == 2, run.stderr
    assert "cannot be applied: the SCF API 3.0 CreateFunction has no" in run.stderr
    assert cloud.calls() == []
