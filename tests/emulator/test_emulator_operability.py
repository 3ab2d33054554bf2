"""Fault injection, the control endpoint, persistence, the CLI and the pytest plugin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from emu_sdk import ECHO_ZIP, api, create, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.retry import StandardRetryer
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, EmulatorServer, running_emulator

ROOT = Path(__file__).resolve().parents[2]


def _code(client: ScfClient, action: str = "ListFunctions", **params: Any) -> str:
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, action, **params)
    return str(exc.value.code)


@pytest.mark.parametrize(
    ("kind", "code"),
    [("throttle", "RequestLimitExceeded"), ("internal_error", "InternalError"), ("drop", "ClientNetworkError"),
     ("http_500", "ServerNetworkError")],
)
def test_request_faults(emu: EmulatorServer, scf: ScfClient, kind: str, code: str) -> None:
    emu.add_fault("ListFunctions", kind, count=2)
    assert _code(scf) == code
    assert _code(scf) == code
    assert api(scf, "ListFunctions")["TotalCount"] == 0
    api(scf, "ListNamespaces")  # other actions unaffected


def test_nth_call_and_function_filter(emu: EmulatorServer, scf: ScfClient) -> None:
    create(scf, "fa")
    create(scf, "fb")
    emu.add_fault("GetFunction", "internal_error", nth=2, function="fa")
    api(scf, "GetFunction", FunctionName="fa")
    api(scf, "GetFunction", FunctionName="fb")
    assert _code(scf, "GetFunction", FunctionName="fa") == "InternalError"
    api(scf, "GetFunction", FunctionName="fa")


def test_throttle_is_retried_by_standard_retryer(emu: EmulatorServer) -> None:
    retryer = StandardRetryer(max_attempts=3, backoff_fn=lambda n: 0, logger=None)
    client = scf_client(emu.endpoint, retryer=retryer)
    emu.add_fault("*", "throttle", count=2)
    # SDK quirk (tencentcloud-sdk-python-common 3.1.x): StandardRetryer never clears the
    # previous error, so even though the third attempt succeeds, the call still raises.
    assert _code(client) == "RequestLimitExceeded"
    assert [e["error"] for e in emu.request_log()] == ["InjectedFault", "InjectedFault", None]


def test_latency_fault_and_config(emu: EmulatorServer, scf: ScfClient) -> None:
    import time

    emu.add_fault("ListFunctions", "latency", latency_ms=150)
    start = time.perf_counter()
    api(scf, "ListFunctions")
    assert time.perf_counter() - start >= 0.15
    with running_emulator(EmulatorConfig(latency_ms=100)) as slow:
        start = time.perf_counter()
        api(scf_client(slow.endpoint), "ListFunctions")
        assert time.perf_counter() - start >= 0.1


def test_control_endpoint(emu: EmulatorServer, scf: ScfClient) -> None:
    base = f"http://{emu.endpoint}/_emulator"
    create(scf)
    added = requests.post(f"{base}/faults", json={"action": "GetFunction", "kind": "throttle", "count": 1}, timeout=5)
    assert added.json()["faults"][0]["kind"] == "throttle"
    assert _code(scf, "GetFunction", FunctionName="fn") == "RequestLimitExceeded"
    requests.post(f"{base}/faults", json=[{"action": "*", "kind": "internal_error"}], timeout=5)
    assert requests.delete(f"{base}/faults", json={}, timeout=5).json() == {"faults": []}
    api(scf, "GetFunction", FunctionName="fn")
    log = requests.get(f"{base}/requests", timeout=5).json()["requests"]
    assert [e["action"] for e in log] == ["CreateFunction", "GetFunction", "GetFunction"]
    first = log[0]
    assert (first["service"], first["region"], first["error"]) == ("scf", "ap-guangzhou", None)
    assert set(first["params"]["Code"]["ZipFile"]) == {"size", "sha256"}
    assert isinstance(first["timestamp"], float)
    assert requests.post(f"{base}/faults", json={"action": "x", "kind": "meteor"}, timeout=5).status_code == 400
    assert requests.post(f"{base}/reset", json={}, timeout=5).json() == {"reset": True}
    assert api(scf, "ListFunctions")["TotalCount"] == 0
    assert requests.get(f"{base}/nothing", timeout=5).status_code == 404


def test_request_log_never_holds_secrets(emu: EmulatorServer) -> None:
    legacy = scf_client(emu.endpoint, signMethod="HmacSHA256")
    api(legacy, "ListFunctions")
    api(scf_client(emu.endpoint), "ListFunctions")
    text = repr(emu.request_log())
    assert "AKID-scf-emulator" not in text and "Signature" not in text and "scfemulatorsecretkey" not in text


def test_state_survives_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with running_emulator(EmulatorConfig(state_file=state)) as emu:
        client = scf_client(emu.endpoint)
        create(client)
        api(client, "PublishVersion", FunctionName="fn")
        api(client, "PublishVersion", FunctionName="fn")
        api(client, "DeleteFunctionVersion", FunctionName="fn", Qualifier="2")
        api(client, "CreateAlias", FunctionName="fn", Name="live", FunctionVersion="1", Description="{}")
        assert state.is_file() and list((tmp_path / "state.json.code").glob("*.zip"))
    with running_emulator(EmulatorConfig(state_file=state)) as emu:
        client = scf_client(emu.endpoint)
        assert api(client, "GetAlias", FunctionName="fn", Name="live")["Description"] == "{}"
        assert api(client, "PublishVersion", FunctionName="fn")["FunctionVersion"] == "3"
        result = api(client, "Invoke", FunctionName="fn", Qualifier="1", ClientContext='{"k": 1}')["Result"]
        assert result["RetMsg"] == '{"k": 1}'


def _spawn(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "component.emulator", *args], cwd=ROOT, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stop(proc: subprocess.Popen[str]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=10)


def test_cli_persists_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "emu.json"
    proc = _spawn("--state", str(state), "--seed", "1")
    assert proc.stdout is not None
    endpoint = proc.stdout.readline().strip()
    assert endpoint.startswith("127.0.0.1:")
    create(scf_client(endpoint))
    assert _stop(proc) == 0
    proc = _spawn("--state", str(state))
    assert proc.stdout is not None
    endpoint = proc.stdout.readline().strip()
    try:
        assert api(scf_client(endpoint), "GetFunction", FunctionName="fn")["Status"] == "Active"
    finally:
        assert _stop(proc) == 0


def test_cli_key_pair_from_environment() -> None:
    proc = _spawn(env={"SCF_EMULATOR_SECRET_ID": "AKIDenv", "SCF_EMULATOR_SECRET_KEY": "envkey"})
    assert proc.stdout is not None
    endpoint = proc.stdout.readline().strip()
    try:
        assert api(scf_client(endpoint, secret_id="AKIDenv", key="envkey"), "ListFunctions")["TotalCount"] == 0
        assert _code(scf_client(endpoint)) == "AuthFailure.SecretIdNotFound"
    finally:
        _stop(proc)


def test_pytest_plugin_fixture(scf_emulator: EmulatorServer) -> None:
    client = scf_client(scf_emulator.endpoint)
    api(client, "CreateFunction", FunctionName="plugged", Code={"ZipFile": ECHO_ZIP})
    assert [e["action"] for e in scf_emulator.request_log()] == ["CreateFunction"]
