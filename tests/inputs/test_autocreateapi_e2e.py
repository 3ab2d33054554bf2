"""``autoCreateApi`` (#13): without an ``apigw`` event, the Node component's default API Gateway trigger.

Service ``serverless`` (http&https), one API ``/`` on ``ANY`` bound to ``$DEFAULT``, released to
``release``; it redeploys with no write and ``scf remove`` deletes what it created. With an ``apigw``
event in the file nothing is added.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import deploy, fixture, redeploy_writes, remove, writes


def params_of(cloud: Cloud, action: str) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in cloud.server.request_log() if e["action"] == action)["params"]
    return found


def test_the_default_api_is_created_kept_and_removed(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("autocreateapi", tmp_path)
    outputs = deploy(cloud, project)
    assert writes(cloud) == ["CreateFunction", "CreateService", "CreateApi", "ReleaseService"]
    service = params_of(cloud, "CreateService")
    assert (service["ServiceName"], service["Protocol"]) == ("serverless", "http&https")
    api = params_of(cloud, "CreateApi")
    assert api["RequestConfig"] == {"Path": "/", "Method": "ANY"}
    assert (api["ServiceScfFunctionName"], api["ServiceScfFunctionQualifier"]) == ("autoapi-dev-demo", "$DEFAULT")
    assert params_of(cloud, "ReleaseService")["EnvironmentName"] == "release"
    gateway = next(t for t in outputs["triggers"] if t.get("serviceName") == "serverless")
    assert gateway["urls"][0].startswith("http://") and gateway["urls"][0].endswith("/release/")

    assert redeploy_writes(cloud, project) == []

    remove(cloud, project)
    assert {"DeleteApi", "DeleteService", "DeleteFunction"} <= set(writes(cloud))


def test_an_apigw_event_in_the_file_replaces_the_default(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("autocreateapi", tmp_path)
    event = '[{"apigw":{"parameters":{"serviceName":"mine","endpoints":[{"path":"/a","method":"GET"}]}}}]'
    deploy(cloud, project, "--inputs", f"events={event}")
    assert params_of(cloud, "CreateService")["ServiceName"] == "mine"
    assert [e["params"]["RequestConfig"] for e in cloud.server.request_log() if e["action"] == "CreateApi"] == [
        {"Path": "/a", "Method": "GET"}
    ]
