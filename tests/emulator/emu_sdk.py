"""Helpers for the emulator suite: SDK clients, zips, a manual clock.

Tests reach the emulator only through the official SDK (or raw HTTP for signature and
control-endpoint cases), like moto's tests drive boto3.
"""

from __future__ import annotations

import base64
import io
import threading
import zipfile
from typing import Any

from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.monitor.v20180724.monitor_client import MonitorClient
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

REGION = "ap-guangzhou"


class ManualClock:
    """A clock that moves only when a test advances it."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.value = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.value

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.value += seconds


def profile(endpoint: str, **kwargs: Any) -> ClientProfile:
    http_kwargs = {k: kwargs.pop(k) for k in ("reqMethod", "reqTimeout") if k in kwargs}
    return ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http", **http_kwargs), **kwargs)


def scf_client(endpoint: str, key: str = DEFAULT_SECRET_KEY, secret_id: str = DEFAULT_SECRET_ID,
               region: str = REGION, **kwargs: Any) -> ScfClient:
    return ScfClient(Credential(secret_id, key), region, profile(endpoint, **kwargs))


def api(client: Any, action: str, **params: Any) -> dict[str, Any]:
    """Call ``action`` through the SDK's generic JSON entry point; returns ``Response``.

    Invocations ask for the log (``LogType: Tail``) unless the test says otherwise, as ``scf invoke`` does.
    """
    if action in ("Invoke", "InvokeFunction"):
        params.setdefault("LogType", "Tail")
    response: dict[str, Any] = client.call_json(action, params)["Response"]
    return response


def make_zip(files: dict[str, str]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return base64.b64encode(buffer.getvalue()).decode()


ECHO_ZIP = make_zip({"index.js": "exports.main = async (e) => e;\n"})
PY_HANDLER = make_zip({"index.py": "def main_handler(event, context):\n    return {'echo': event}\n"})


def create(client: ScfClient, name: str = "fn", **overrides: Any) -> None:
    params: dict[str, Any] = {"FunctionName": name, "Handler": "index.main", "Runtime": "Nodejs18.15",
                              "Code": {"ZipFile": ECHO_ZIP}}
    params.update(overrides)
    api(client, "CreateFunction", **params)


def monitor_client(endpoint: str) -> MonitorClient:
    return MonitorClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), REGION, profile(endpoint))
