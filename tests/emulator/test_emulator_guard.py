"""What the emulator refuses (#19 item 6 and risks, #16 item 7): the control API from web pages, hostile bodies,
unbounded growth, unsafe binds, and `scf emulator` flags it cannot honour — each answered, never a dropped
connection or a traceback."""

from __future__ import annotations

import io
import json
import socket
import time
import zipfile
from base64 import b64encode
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from emu_sdk import api, create, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from component.cli import main
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from component.emulator.core.auth import tc3_signature
from component.emulator.core.guard import UnsafeBind
from component.emulator.core.requestlog import RequestLog
from component.emulator.core.wire import WireRequest
from component.emulator.scf.invocations import Invocation, MetricsStore
from tests.conftest import Cloud

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("POST", "reset", JSON, 200),
        ("POST", "reset", {}, 403),  # a cross-site "simple" form POST
        ("POST", "reset", {"Content-Type": "text/plain"}, 403),
        ("POST", "reset", {**JSON, "Host": "evil.example:80"}, 403),  # DNS rebinding
        ("POST", "reset", {**JSON, "Origin": "https://evil.example"}, 403),
        ("POST", "reset", {**JSON, "Origin": "http://localhost:3000"}, 200),
        ("GET", "requests", {"Host": "evil.example"}, 403),
        ("GET", "requests", {"Origin": "https://evil.example"}, 403),
        ("GET", "health", {}, 200),
        ("DELETE", "faults", {}, 403),
    ],
)
def test_the_control_api_answers_only_this_machine(emu: EmulatorServer, method: str, path: str,
                                                   headers: dict[str, str], status: int) -> None:
    reply = requests.request(method, f"http://{emu.endpoint}/_emulator/{path}", headers=headers, data=b"{}",
                             timeout=5)
    assert reply.status_code == status, reply.text


def _signed(emu: EmulatorServer, body: bytes, action: str = "GetFunction") -> Any:
    """A TC3-signed POST of a raw body (what no SDK would send), answered by the emulator."""
    stamp = int(time.time())
    date = datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%d")
    headers = {"content-type": "application/json", "host": emu.endpoint, "x-tc-action": action,
               "x-tc-version": "2018-04-16", "x-tc-region": "ap-guangzhou", "x-tc-timestamp": str(stamp)}
    signature = tc3_signature(WireRequest("POST", "", headers, body), DEFAULT_SECRET_KEY, date, "scf",
                              "content-type;host")
    headers["authorization"] = (f"TC3-HMAC-SHA256 Credential={DEFAULT_SECRET_ID}/{date}/scf/tc3_request, "
                                f"SignedHeaders=content-type;host, Signature={signature}")
    return requests.post(f"http://{emu.endpoint}/", data=body, headers=headers, timeout=10).json()["Response"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"FunctionName": "\\udcff"}',  # a lone surrogate, escaped
        b'{"FunctionName": "caf\xe9"}',  # Latin-1, not UTF-8
        b'{"FunctionName": "fn", "Tags": ' + b"[" * 40 + b"]" * 40 + b"}",  # deeper than 32
        b'{"FunctionName": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # beyond the parser's recursion
    ],
)
def test_hostile_bodies_get_an_error_envelope_and_the_emulator_keeps_serving(emu: EmulatorServer,
                                                                            body: bytes) -> None:
    assert _signed(emu, body)["Error"]["Code"] == "InvalidParameter.Payload"
    create(scf_client(emu.endpoint))
    assert api(scf_client(emu.endpoint), "GetFunction", FunctionName="fn")["FunctionName"] == "fn"


def test_a_lone_surrogate_through_the_sdk_is_refused_and_never_stored(emu: EmulatorServer) -> None:
    client = scf_client(emu.endpoint)
    with pytest.raises(TencentCloudSDKException) as error:
        create(client, Description="bad \udcff text")
    assert error.value.code == "InvalidParameter.Payload"
    assert api(client, "ListFunctions")["TotalCount"] == 0


def test_an_oversized_content_length_is_refused_unread(emu: EmulatorServer) -> None:
    host, port = emu.endpoint.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8000000000\r\n\r\n")
        reply = b""
        while chunk := conn.recv(65536):  # the emulator answers and closes without waiting for the body
            reply += chunk
    assert b"RequestSizeLimitExceeded" in reply


def _zip_claiming(size: int) -> str:
    """A small zip whose central directory claims ``size`` unpacked bytes (a zip bomb's shape)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "x")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = size.to_bytes(4, "little")
    return b64encode(bytes(data)).decode()


@pytest.mark.parametrize(("claimed", "refused"), [(500 * 1024 * 1024, False), (500 * 1024 * 1024 + 1, True)])
def test_code_unpacking_beyond_500_mb_is_refused_at_upload(emu: EmulatorServer, claimed: int, refused: bool) -> None:
    client = scf_client(emu.endpoint)
    if not refused:
        create(client, Code={"ZipFile": _zip_claiming(claimed)})
        return
    with pytest.raises(TencentCloudSDKException) as error:
        create(client, Code={"ZipFile": _zip_claiming(claimed)})
    assert error.value.code == "InvalidParameterValue.ZipFile"


def test_the_request_log_and_the_metrics_keep_only_the_newest_entries() -> None:
    log = RequestLog(limit=3)
    for n in range(5):
        log.add({"n": n})
    assert [e["n"] for e in log.entries()] == [2, 3, 4]
    metrics = MetricsStore(limit=2)
    for n in range(4):
        metrics.add(Invocation("r", "default", "fn", str(n), None, float(n), 1.0, False, 200))
    assert [r.version for r in metrics.select("r", "default", "fn", "version", "3")] == ["3"]
    assert metrics.count() == 2


def test_a_non_loopback_bind_needs_explicit_keys() -> None:
    with pytest.raises(UnsafeBind):
        EmulatorServer(EmulatorConfig(host="0.0.0.0")).start()
    with EmulatorServer(EmulatorConfig(host="0.0.0.0", secret_id="mine", secret_key="my-own-key")) as server:
        assert server.endpoint.startswith("0.0.0.0:")


@pytest.fixture
def busy_port() -> Any:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        yield taken.getsockname()[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "99999"], "'99999' is not a TCP port (0-65535; 0 picks a free one)"),
        (["--port", "http"], "'http' is not a TCP port"),
        (["--host", "192.0.2.1", "--secret-id", "a", "--secret-key", "b"], "error: cannot listen on 192.0.2.1:0"),
        (["--host", "0.0.0.0"], "error: --host 0.0.0.0 is reachable from other machines"),
        (["--port", "BUSY"], "error: cannot listen on 127.0.0.1:"),
    ],
)
def test_scf_emulator_refuses_what_it_cannot_serve_with_exit_2(capsys: pytest.CaptureFixture[str], busy_port: int,
                                                               argv: list[str], message: str) -> None:
    argv = [str(busy_port) if arg == "BUSY" else arg for arg in argv]
    try:
        code = main(["emulator", *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err and "Traceback" not in captured.err
    assert json.dumps(captured.out) == '""'



def test_the_tool_refuses_to_send_text_that_is_not_utf8(cloud: Cloud, project: Path) -> None:
    """The other side: ``scf`` never sends a lone surrogate (from argv or a file): exit 2 naming the field."""
    run = cloud.scf("deploy", "--target", str(project), "--inputs.description=bad \udcff")
    assert run.exit_code == 2, run.stderr
    assert "CreateFunction Description: is not valid UTF-8 text" in run.stderr
    assert "CreateFunction" not in cloud.calls()
