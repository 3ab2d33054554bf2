"""Benchmark: what the contract check (#14) costs the test suite.

Usage: ``python benchmarks/contract_overhead.py [--calls N] [--out PATH]``

* time of ``contract.check_reply`` on real emulator answers (GetFunction, ListFunctions, Invoke);
* GetFunction round trips per second through the SDK, with the checker installed and without it
  (the same emulator, alternating blocks so machine load hits both alike).

Results: ``benchmarks/results/contract_overhead.md``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import platform
import tempfile
import time
import zipfile
from pathlib import Path

from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from component.emulator.core.contract import ContractRecorder, check_reply

ROOT = Path(__file__).resolve().parent.parent


def _zip() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def main(event, context):\n    return event\n")
    return base64.b64encode(buffer.getvalue()).decode()


def _per_call(fn: object, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()  # type: ignore[operator]
    return (time.perf_counter() - start) / calls


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "contract_overhead.md")
    args = parser.parse_args()
    with EmulatorServer(EmulatorConfig(seed=1)) as server:
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=server.endpoint, protocol="http"))
        client = CommonClient("scf", "2018-04-16", Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY),
                              "ap-guangzhou", profile)
        client.call_json("CreateFunction", {"FunctionName": "fn", "Runtime": "Python3.9", "Handler": "index.main",
                                            "Code": {"ZipFile": _zip()}})
        answers = {
            "GetFunction": client.call_json("GetFunction", {"FunctionName": "fn"})["Response"],
            "ListFunctions": client.call_json("ListFunctions", {})["Response"],
            "Invoke": client.call_json("Invoke", {"FunctionName": "fn", "LogType": "Tail"})["Response"],
        }
        check_rows = [(action, _per_call(lambda a=action, r=body: check_reply("scf", a, r), args.calls))
                      for action, body in answers.items()]
        with tempfile.TemporaryDirectory() as folder:
            rates: dict[str, list[float]] = {"off": [], "on": []}
            for _ in range(3):
                for mode in ("off", "on"):
                    server.gateway.contract = ContractRecorder(Path(folder)) if mode == "on" else None
                    seconds = _per_call(lambda: client.call_json("GetFunction", {"FunctionName": "fn"}),
                                        args.calls // 4)
                    rates[mode].append(1 / seconds)
    best = {mode: max(values) for mode, values in rates.items()}
    lines = [
        "# Contract check overhead", "",
        "- Command: `python benchmarks/contract_overhead.py`",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, Python {platform.python_version()} (shared with other jobs)", "",
        "| check_reply on | µs per answer |", "| --- | ---: |",
        *[f"| {action} | {seconds * 1e6:.0f} |" for action, seconds in check_rows], "",
        "| GetFunction through the SDK | best of 3 blocks, calls/s |", "| --- | ---: |",
        f"| checker off | {best['off']:.0f} |", f"| checker on | {best['on']:.0f} |", "",
        f"Slowdown of a GetFunction round trip with the checker on: {(best['off'] / best['on'] - 1) * 100:.1f} %.",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
