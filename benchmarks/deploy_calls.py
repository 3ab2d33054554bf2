"""Benchmark: API calls, wall time, polling efficiency and memory of a deploy.

Usage: ``python benchmarks/deploy_calls.py [--latency-ms MS] [--status-delay S] [--out PATH]``

The emulator runs in this process with ``--latency-ms`` (default 30 ms) added to every call and a
real ``Updating``/``Publishing`` time (``--status-delay``, default 1.0 s, real clock); the CLI runs
in-process (``component.cli.main``) with the real clock and sleep, so wall times are real. Calls are
counted by action from the emulator's request log.

(a) changed code + publish + shift 10 % on a named alias (goal ≤ 6 calls plus status polls);
(b) unchanged redeploy (goal ≤ 3 read calls, 0 writes);
(c) polling efficiency: time from ``UpdateFunctionCode`` until the poll that saw ``Active``,
    against the configured state delay, for delays 0.5/1/2/5 s (goal ≤ 1.2×);
(d) peak memory of a deploy: ``ru_maxrss`` of a subprocess (tiny and 5 MiB incompressible code), and
    the ``tracemalloc`` peak in-process.

"Status polls" are the ``GetFunction`` calls after the first one (the first is the read of the
function's state). Results: ``benchmarks/results/deploy_calls.md``.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import io
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path
from typing import Any

from component.cli import main as scf_main
from component.emulator import EmulatorConfig, EmulatorServer
from component.render import Reporter
from component.tools import Tools

ROOT = Path(__file__).resolve().parent.parent
WRITES = frozenset({"CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "DeleteFunction",
                    "PublishVersion", "CreateAlias", "UpdateAlias", "DeleteAlias", "DeleteFunctionVersion"})
SECRET_VARS = ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN",
               "TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_TOKEN", "SCF_ENDPOINT")
SERVERLESS_YML = """\
component: scf
name: bench
app: calls
stage: dev
inputs:
  src: ./src
  handler: index.main_handler
  runtime: Python3.9
  region: ap-guangzhou
{extra}"""


def make_project(base: Path, name: str, extra: str = "", payload_mib: int = 0) -> Path:
    root = base / name
    (root / "src").mkdir(parents=True)
    (root / "serverless.yml").write_text(SERVERLESS_YML.format(extra=textwrap.indent(extra, "  ")))
    (root / "src" / "index.py").write_text("def main_handler(event, context):\n    return 'v1'\n")
    if payload_mib:
        (root / "src" / "blob.bin").write_bytes(os.urandom(payload_mib * 2**20))
    return root


def change_code(project: Path, text: str) -> None:
    handler = project / "src" / "index.py"
    handler.write_text(handler.read_text() + f"# {text}\n")


class Run:
    def __init__(self, server: EmulatorServer) -> None:
        self.server = server

    def deploy(self, project: Path, *extra: str) -> tuple[list[dict[str, Any]], float]:
        """Run ``scf deploy``; return the request-log entries it produced and its wall time."""
        before = len(self.server.request_log())
        out, err = io.StringIO(), io.StringIO()
        tools = Tools(reporter=Reporter(out=out, err=err), sleep=time.sleep, clock=time.monotonic)
        start = time.perf_counter()
        code = scf_main(["deploy", "--target", str(project), "--endpoint", self.server.endpoint, *extra], tools)
        elapsed = time.perf_counter() - start
        if code != 0:
            raise SystemExit(f"deploy failed ({code}): {err.getvalue()}")
        return self.server.request_log()[before:], elapsed


def actions(entries: list[dict[str, Any]]) -> list[str]:
    return [str(e["action"]) for e in entries]


def breakdown(entries: list[dict[str, Any]]) -> dict[str, int]:
    calls = actions(entries)
    polls = max(0, calls.count("GetFunction") - 1)
    writes = sum(1 for c in calls if c in WRITES)
    return {"total": len(calls), "writes": writes, "reads": len(calls) - writes - polls, "polls": polls}


def by_action(entries: list[dict[str, Any]]) -> str:
    counts = collections.Counter(actions(entries))
    return ", ".join(f"{a} ×{n}" for a, n in counts.items())


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def scenario_calls(base: Path, latency_ms: float, delay: float) -> list[str]:
    config = EmulatorConfig(latency_ms=latency_ms, status_delay=delay, seed=1)
    lines: list[str] = []
    with EmulatorServer(config) as server:
        run = Run(server)
        named = make_project(base, "named", "aliasName: release\n")
        run.deploy(named)  # creates the function, version 1 and the alias on it
        change_code(named, "v2")
        entries, wall = run.deploy(named, "--inputs.traffic=0.1")
        b = breakdown(entries)
        non_poll = b["total"] - b["polls"]
        lines += [
            "## (a) changed code + publish + shift 10 % on a named alias",
            "",
            f"- Calls: {b['total']} in all = {non_poll} calls ({b['reads']} reads + {b['writes']} writes) "
            f"+ {b['polls']} status polls; wall time {wall:.2f} s",
            f"- By action, in order of first use: {by_action(entries)}",
            f"- Sequence: {' → '.join(actions(entries))}",
            f"- Goal ≤ 6 calls plus status polls: {verdict(non_poll <= 6)} ({non_poll} calls: the snapshot reads "
            "GetFunction, ListVersionByFunction, GetFunctionAddress, GetAlias; the 3 writes; and, since the alias "
            "compare-and-set, a GetAlias re-read before UpdateAlias because code was written first)",
            "",
        ]
        entries, wall = run.deploy(named, "--inputs.traffic=0.1")
        b = breakdown(entries)
        lines += [
            "## (b) unchanged redeploy (same named-alias project)",
            "",
            f"- Calls: {b['total']} ({b['reads']} reads, {b['writes']} writes, {b['polls']} polls); "
            f"wall time {wall:.2f} s",
            f"- By action: {by_action(entries)}",
            f"- Goal ≤ 3 read calls and 0 writes: {verdict(b['total'] <= 3 and b['writes'] == 0)} "
            f"({b['reads'] + b['polls']} reads, {b['writes']} writes; the snapshot reads the function, its versions, "
            "its code hash and the alias, one call each)",
            "",
        ]
    return lines


def poll_wait(base: Path, latency_ms: float, delay: float, attempt: int) -> tuple[float, int]:
    """One code update: (seconds from UpdateFunctionCode to the poll that saw Active, number of polls)."""
    with EmulatorServer(EmulatorConfig(latency_ms=latency_ms, status_delay=delay, seed=1)) as server:
        run = Run(server)
        project = make_project(base, f"poll-{delay}-{attempt}")
        run.deploy(project)
        change_code(project, "v2")
        entries, _ = run.deploy(project)
    update = actions(entries).index("UpdateFunctionCode")
    polls = [e for e in entries[update + 1:] if e["action"] == "GetFunction"]
    return float(polls[-1]["timestamp"]) - float(entries[update]["timestamp"]), len(polls)


def scenario_polling(base: Path, latency_ms: float, repeats: int = 3) -> list[str]:
    lines = [
        "## (c) polling efficiency: UpdateFunctionCode → the poll that saw Active",
        "",
        "Wait = request-log timestamp of the last `GetFunction` poll minus that of `UpdateFunctionCode` "
        f"(both stamped when answered; each call carries the {latency_ms:g} ms latency). "
        f"{repeats} runs per delay; the goal is judged on the worst run.",
        "",
        "| State delay (s) | Waits (s) | Worst wait / delay | Polls | Goal ≤ 1.2× |",
        "| ---: | --- | ---: | --- | --- |",
    ]
    for delay in (0.5, 1.0, 2.0, 5.0):
        results = [poll_wait(base, latency_ms, delay, attempt) for attempt in range(repeats)]
        worst = max(wait for wait, _ in results) / delay
        waits = ", ".join(f"{wait:.3f}" for wait, _ in results)
        polls = ", ".join(str(n) for _, n in results)
        lines.append(f"| {delay:g} | {waits} | {worst:.2f}× | {polls} | {'met' if worst <= 1.2 else 'missed'} |")
    lines.append("")
    return lines


RSS_SCRIPT = """
import io, resource, sys
from component.cli import main
from component.tools import Tools
from component.render import Reporter
import time
tools = Tools(reporter=Reporter(out=io.StringIO(), err=io.StringIO()), sleep=time.sleep, clock=time.monotonic)
code = main(["deploy", "--target", sys.argv[1], "--endpoint", sys.argv[2]], tools)
print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
BASELINE_SCRIPT = """
import resource
import component.commands, component.cloud.sdk
print(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def max_rss_mib(script: str, *argv: str) -> float:
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARS}
    proc = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True, env=env, check=True)
    code, kib = proc.stdout.split()
    if code != "0":
        raise SystemExit(f"deploy failed in the memory subprocess: {proc.stderr}")
    return int(kib) / 1024


def scenario_memory(base: Path) -> list[str]:
    lines = [
        "## (d) peak memory of a deploy (first deploy: package + CreateFunction)",
        "",
        "| Code | Zip | Peak RSS (subprocess, MiB) | tracemalloc peak (in-process, MiB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    baseline = max_rss_mib(BASELINE_SCRIPT)
    for label, payload in (("examples-like handler", 0), ("handler + 5 MiB random bytes", 5)):
        with EmulatorServer(EmulatorConfig(seed=1)) as server:
            project = make_project(base, f"mem-{payload}", payload_mib=payload)
            rss = max_rss_mib(RSS_SCRIPT, str(project), server.endpoint)
            server.reset()
            tracemalloc.start()
            Run(server).deploy(project)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        zip_size = "≈5 MiB" if payload else "< 1 KiB"
        lines.append(f"| {label} | {zip_size} | {rss:.1f} | {peak / 2**20:.1f} |")
    lines += [
        "",
        f"- Baseline RSS of a process that only imports the deploy modules and the SDK: {baseline:.1f} MiB",
        "- tracemalloc counts Python allocations in the whole process, the in-process emulator's share included "
        "(it decodes the base64 zip it receives)",
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--status-delay", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "deploy_calls.md")
    args = parser.parse_args()
    for name in SECRET_VARS:
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    options = "".join(f" {flag} {value:g}" for flag, value, default in
                      (("--latency-ms", args.latency_ms, 30.0), ("--status-delay", args.status_delay, 1.0))
                      if value != default)
    lines = [
        "# Deploy benchmark: API calls, wall time, polling, memory",
        "",
        f"- Command: `python benchmarks/deploy_calls.py{options}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"- Emulator in-process: {args.latency_ms:g} ms latency per call, state delay {args.status_delay:g} s "
        "(real clock); CLI in-process with real sleep",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        lines += scenario_calls(base, args.latency_ms, args.status_delay)
        lines += scenario_polling(base, args.latency_ms)
        lines += scenario_memory(base)
    shutil.rmtree(ROOT / "benchmarks" / "__pycache__", ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
