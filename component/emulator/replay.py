"""Replay a ``scf … --record DIR`` recording against a fresh emulator and compare the answers (#14).

Each recorded request is sent again, in order, through the official SDK; the emulator's answer is compared
with the recorded one field by field: the same keys at every level, the same JSON types, equal values —
except fields that differ by nature between two runs (:data:`VOLATILE`: ids, timestamps, durations, logs,
code sizes, the function's own output), values the recording scrubbed, fields recorded as null (the
SDK writes every model field, the API leaves unset ones out), and a transitional status
(``Creating``/``Updating``/…) that the cloud was still in when a faster emulator is already ``Active``.
An error must come back with the same code.  Scrubbed code bodies are replaced by a small Python
handler, scrubbed environment values by a placeholder.

Usage: ``python -m component.emulator.replay DIR`` prints one line per difference (exit 1 if any).
"""

from __future__ import annotations

import base64
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

from .core.config import EmulatorConfig
from .emulator import EmulatorServer
from .keys import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

VOLATILE = frozenset({
    "RequestId", "AddTime", "ModTime", "FunctionId", "FunctionRequestId", "Duration", "BillDuration", "MemUsage",
    "Log", "CodeSize", "CodeSha256", "Url", "Location", "CodeInfo", "ServiceId", "ApiId", "CreatedTime",
    "ModifiedTime", "InternalDomain", "OuterSubDomain", "InnerSubDomain", "ReleaseVersion", "Timestamps",
    "Values", "StartTime", "EndTime",
    "RetMsg", "ErrMsg", "InvokeResult",  # the function's own output: the recording holds no code
})
EXTRAS = frozenset({"ExecutedVersion"})  # the emulator's documented extras (the SDK drops them on read)
BUSY = frozenset({"Creating", "Updating", "Publishing", "Deleting"})
VERSIONS = {"scf": "2018-04-16", "monitor": "2018-07-24", "apigateway": "2018-08-08"}


def placeholder_zip() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def main_handler(event, context):\n    return event\n")
    return base64.b64encode(buffer.getvalue()).decode()


def restore(value: Any, code: str) -> Any:
    """A sendable request: scrubbed zips become ``code``, scrubbed values a placeholder string."""
    if isinstance(value, dict):
        if value.get("scrubbed") == "zip":
            return code
        if value.get("scrubbed") == "value":
            return f"scrubbed-{value.get('sha256', '')}"
        return {key: restore(item, code) for key, item in value.items()}
    if isinstance(value, list):
        return [restore(item, code) for item in value]
    return value


def _scalar(recorded: Any, answered: Any, path: str) -> list[str]:
    numbers = isinstance(recorded, float | int) and isinstance(answered, float | int)
    if type(recorded) is not type(answered) and not numbers:
        return [f"{path}: {type(recorded).__name__} recorded, {type(answered).__name__} answered"]
    if recorded == answered or (path.endswith(".Status") and recorded in BUSY):
        return []
    return [f"{path}: {recorded!r} recorded, {answered!r} answered"]


def differences(recorded: Any, answered: Any, path: str = "Response") -> list[str]:
    """Where ``answered`` differs from ``recorded`` (see the module docstring for what is tolerated)."""
    if isinstance(recorded, dict) and "scrubbed" in recorded:
        return []
    if isinstance(recorded, dict) and isinstance(answered, dict):
        out = [f"{path}.{key}: missing" for key, v in recorded.items() if key not in answered and v is not None]
        out += [f"{path}.{key}: not in the recording" for key in answered
                if key not in recorded and key not in EXTRAS]
        for key in recorded.keys() & answered.keys():
            if key not in VOLATILE:
                out += differences(recorded[key], answered[key], f"{path}.{key}")
        return out
    if isinstance(recorded, list) and isinstance(answered, list):
        if len(recorded) != len(answered):
            return [f"{path}: {len(recorded)} items recorded, {len(answered)} answered"]
        return [d for i, (r, a) in enumerate(zip(recorded, answered, strict=True))
                for d in differences(r, a, f"{path}[{i}]")]
    return _scalar(recorded, answered, path)


def replay(exchanges: list[dict[str, Any]], endpoint: str) -> list[str]:
    """Send every recorded request to ``endpoint``; the differences, prefixed by exchange number and action."""
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http"), language="en-US")
    cred = Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
    code = placeholder_zip()
    found: list[str] = []
    for number, exchange in enumerate(exchanges, 1):
        service, action = exchange["service"], exchange["action"]
        client = CommonClient(service, VERSIONS[service], cred, exchange["region"], profile)
        label = f"#{number} {action}"
        try:
            answered = client.call_json(action, restore(exchange["request"], code))["Response"]
        except TencentCloudSDKException as exc:
            recorded_code = (exchange.get("error") or {}).get("code")
            if recorded_code != exc.code:
                found.append(f"{label}: error {exc.code} answered, {recorded_code or 'success'} recorded")
            continue
        if exchange.get("error"):
            found.append(f"{label}: success answered, error {exchange['error']['code']} recorded")
            continue
        recorded = {**(exchange.get("response") or {}), "RequestId": ""}
        found += [f"{label}: {d}" for d in differences(recorded, answered)]
    return found


def read_recording(folder: Path) -> list[dict[str, Any]]:
    """The exchanges of a recording folder (``0001-Action.json`` …), in call order."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("[0-9]*-*.json"))]


def replay_folder(folder: Path) -> list[str]:
    """Replay a recording folder against a fresh emulator."""
    with EmulatorServer(EmulatorConfig(seed=0)) as server:
        return replay(read_recording(folder), server.endpoint)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m component.emulator.replay RECORDING_DIR", file=sys.stderr)
        return 2
    found = replay_folder(Path(args[0]))
    for line in found:
        print(line)
    print(f"{len(found)} difference(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
