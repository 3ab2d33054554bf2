"""Web functions (``type: web``) run their ``scf_bootstrap`` as a local server behind the emulator.

Served over HTTP on the API Gateway path the deploy prints (Node.js, generated bootstrap; Python, the
project's own bootstrap), invoked with ``scf invoke --local`` (an API-Gateway-shaped event becomes the
request), refused clearly when the bootstrap cannot run here, answered 405 when it dies at start.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from component.emulator import EmulatorConfig, EmulatorServer
from tests.conftest import Cloud, FakeClock, Run, copy_fixture


def _url(run: Run) -> str:
    assert run.exit_code == 0, run.stderr
    return str(run.json()["triggers"][0]["url"])


def _fetch(url: str, body: bytes | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_node_web_function_is_served_on_its_api_gateway_path(cloud: Cloud, tmp_path: Path) -> None:
    url = _url(cloud.scf("deploy", "--json", "--target", str(copy_fixture("03-web-function", tmp_path))))
    status, headers, body = _fetch(url + "?x=1")
    assert (status, json.loads(body)) == (200, {"ok": True, "path": "/?x=1"})
    assert headers["X-Scf-Executed-Version"] == "$LATEST"
    assert len(headers.get_all("Date") or []) == 1  # the server's own Date is not repeated


def test_python_web_function_with_its_own_bootstrap(cloud: Cloud, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENCENT_SECRET_KEY", "real-key-of-the-deployer")
    url = _url(cloud.scf("deploy", "--json", "--target", str(copy_fixture("web-python", tmp_path))))
    status, headers, body = _fetch(url, b"payload")
    assert (status, headers["X-Served-By"]) == (201, "python")
    assert json.loads(body) == {"method": "POST", "path": "/echo", "body": "payload", "greeting": "bonjour",
                                "version": "$LATEST", "secret": None}
    assert _fetch(url)[0] == 201  # the same server keeps serving


def test_invoke_local_sends_the_event_as_a_request(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture("web-python", tmp_path)
    assert cloud.scf("deploy", "--local", "--target", str(root)).exit_code == 0
    event = json.dumps({"httpMethod": "POST", "path": "/echo", "queryString": {"a": "1"}, "body": "hi"})
    run = cloud.scf("invoke", "--local", "--target", str(root), "--json", "--event", event)
    assert run.exit_code == 0, run.stderr
    answer = json.loads(run.json()["result"])
    assert (answer["statusCode"], answer["isBase64Encoded"]) == (201, False)
    assert json.loads(answer["body"])["path"] == "/echo?a=1"
    assert "serving POST /echo?a=1" in run.json()["log"]


@pytest.mark.parametrize(
    ("fixture", "exit_code", "says"),
    [
        ("web-php", 3, ["FailedOperation.InvokeFunction", "Php7", "starts neither node nor python"]),
        ("web-broken", 4, ["scf_bootstrap exited with code 3 before serving on port 9000"]),
    ],
)
def test_web_function_that_cannot_serve(cloud: Cloud, tmp_path: Path, fixture: str, exit_code: int,
                                        says: list[str]) -> None:
    root = copy_fixture(fixture, tmp_path)
    assert cloud.scf("deploy", "--local", "--target", str(root)).exit_code == 0
    run = cloud.scf("invoke", "--local", "--target", str(root), "--json")
    assert run.exit_code == exit_code
    assert all(text in run.stdout + run.stderr for text in says), run.stdout + run.stderr
    if exit_code == 4:
        assert json.loads(run.json()["result"])["statusCode"] == 405
        assert "cannot start: missing DATABASE_URL" in run.json()["log"]


def test_stopping_the_emulator_stops_the_web_servers(tmp_path: Path) -> None:
    clock = FakeClock()
    with EmulatorServer(EmulatorConfig(clock=clock.now, status_delay=0.0)) as server:
        cloud = Cloud(server, clock)
        url = _url(cloud.scf("deploy", "--json", "--target", str(copy_fixture("03-web-function", tmp_path))))
        assert _fetch(url)[0] == 200
        pids = server.backend.scf.runner.worker_pids()
        assert pids
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_each_request_logs_its_own_output(cloud: Cloud, tmp_path: Path) -> None:
    root = str(copy_fixture("web-python", tmp_path))
    assert cloud.scf("deploy", "--target", root).exit_code == 0
    logs = []
    for path in ("/one", "/two"):
        run = cloud.scf("invoke", "--target", root, "--json", "--event", json.dumps({"path": path}))
        assert run.exit_code == 0, run.stderr
        logs.append(run.json()["log"])
    assert "listening on 9000" in logs[0] and "serving GET /one" in logs[0]  # the start is in the first Log
    assert "serving GET /two" in logs[1] and "/one" not in logs[1] and "listening" not in logs[1]
