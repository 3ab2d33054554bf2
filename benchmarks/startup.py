"""Benchmark: how fast ``scf`` starts.

Usage: ``python benchmarks/startup.py [--runs N] [--out PATH]``

* process spawn → first API call of ``scf deploy --endpoint HOST:PORT``: an emulator runs inside this
  process; each run spawns the ``scf`` console script, and the time is the first request-log
  timestamp (stamped when the emulator has answered that first call) minus the wall-clock time just
  before ``Popen``. Every run deploys the same unchanged project (the first run creates it), so the
  first call is always ``GetFunction``;
* wall time of ``scf --version`` and ``scf deploy --help``;
* whether ``scf --version`` imports ``tencentcloud`` (``python -X importtime``), and the heaviest
  imports on the way to the first call, to show where the time goes.

Goal: median ≤ 0.15 s to the first call. Results: ``benchmarks/results/startup.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import record

from component.emulator import EmulatorConfig, EmulatorServer

ROOT = Path(__file__).resolve().parent.parent
GOAL_FIRST_CALL = 0.15
SECRET_VARS = ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN",
               "TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_TOKEN", "SCF_ENDPOINT")


def scf_command() -> list[str]:
    script = Path(sys.executable).parent / "scf"
    return [str(script)] if script.exists() else [sys.executable, "-m", "component"]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARS}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def first_call_times(runs: int, project: Path) -> tuple[list[float], list[float]]:
    """Per run: (seconds from spawn to the first answered API call, total wall time)."""
    firsts: list[float] = []
    totals: list[float] = []
    with EmulatorServer(EmulatorConfig(seed=1)) as server:
        command = [*scf_command(), "deploy", "--endpoint", server.endpoint, "--target", str(project)]
        subprocess.run(command, env=clean_env(), check=True, capture_output=True)  # create; warm the page cache
        for _ in range(runs):
            server.log.clear()
            spawned = time.time()
            subprocess.run(command, env=clean_env(), check=True, capture_output=True)
            totals.append(time.time() - spawned)
            log = server.request_log()
            firsts.append(float(log[0]["timestamp"]) - spawned)
    return firsts, totals


def wall_times(argv: list[str], runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([*scf_command(), *argv], env=clean_env(), check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times[1:]  # the first run warms the page cache


def import_profile(argv: list[str]) -> tuple[bool, list[tuple[int, str]]]:
    """(imports tencentcloud?, the ten heaviest top-level imports as (cumulative µs, module))."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "component", *argv], env=clean_env(),
                          capture_output=True, text=True, check=False)
    rows: list[tuple[int, str]] = []
    imported_sdk = False
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        imported_sdk = imported_sdk or name.strip().startswith("tencentcloud")
        if not name.startswith(" "):
            rows.append((int(cumulative), name))
    return imported_sdk, sorted(rows, reverse=True)[:10]


def deploy_import_profile() -> list[tuple[int, str]]:
    """Heaviest top-level imports of what a deploy loads before its first call."""
    code = "import component.cli, component.commands, component.cloud.sdk, component.deploy.packager"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=clean_env(),
                          capture_output=True, text=True, check=False)
    rows: list[tuple[int, str]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip("\n") for part in line[len("import time:"):].split("|"))
        if not name.startswith("  "):
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:10]


def stats_row(label: str, values: list[float]) -> str:
    return (f"| {label} | {len(values)} | {statistics.median(values):.3f} | {percentile(values, 90):.3f} | "
            f"{min(values):.3f} | {max(values):.3f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "startup.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "hello"
        shutil.copytree(ROOT / "examples" / "hello", project, ignore=shutil.ignore_patterns(".serverless"))
        firsts, totals = first_call_times(args.runs, project)
    version = wall_times(["--version"], args.runs)
    help_ = wall_times(["deploy", "--help"], args.runs)
    version_sdk, version_imports = import_profile(["--version"])
    help_sdk, _ = import_profile(["deploy", "--help"])
    deploy_imports = deploy_import_profile()
    median_first = statistics.median(firsts)
    met = median_first <= GOAL_FIRST_CALL
    lines = [
        "# Startup benchmark: process spawn → first API call",
        "",
        "- Command: `python benchmarks/startup.py`" + (f" `--runs {args.runs}`" if args.runs != 15 else ""),
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        f"- Spawned: `{' '.join(Path(c).name for c in scf_command())} …` (the console script); emulator in the "
        "benchmark process, no injected latency; unchanged redeploy of `examples/hello`",
        "- First call = request-log timestamp of the first request (stamped after the emulator answered it) "
        "minus the wall clock just before `Popen`",
        "",
        "| Measure (s) | Runs | Median | p90 | Min | Max |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        stats_row("spawn → first API call (`scf deploy --endpoint …`)", firsts),
        stats_row("whole unchanged `scf deploy --endpoint …`", totals),
        stats_row("`scf --version`", version),
        stats_row("`scf deploy --help`", help_),
        "",
        f"- Goal: median spawn → first call ≤ {GOAL_FIRST_CALL} s: **{'met' if met else 'missed'}** "
        f"({median_first:.3f} s median, p90 {percentile(firsts, 90):.3f} s)",
        f"- `scf --version` imports tencentcloud: **{'yes' if version_sdk else 'no'}**; "
        f"`scf deploy --help` imports tencentcloud: **{'yes' if help_sdk else 'no'}** (`python -X importtime`)",
        "",
        "Heaviest top-level imports of `scf --version` (cumulative µs):",
        "",
        *[f"- {us:>8} µs `{name}`" for us, name in version_imports[:5]],
        "",
        "Heaviest top-level imports a deploy needs before its first call "
        "(`component.cli`, `component.commands`, `component.cloud.sdk`, `component.deploy.packager`; cumulative µs):",
        "",
        *[f"- {us:>8} µs `{name}`" for us, name in deploy_imports],
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    record("startup", [
        {"what": "process start → first API call (`scf deploy --endpoint`)", "figure": f"{median_first:.3f} s median",
         "goal": f"≤ {GOAL_FIRST_CALL} s", "met": met},
        {"what": "`scf --version` / `scf deploy --help`",
         "figure": f"{statistics.median(version):.3f} s / {statistics.median(help_):.3f} s, SDK "
         + ("imported" if version_sdk or help_sdk else "not imported"),
         "goal": "no SDK import", "met": not (version_sdk or help_sdk)},
    ], args.out.parent)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
