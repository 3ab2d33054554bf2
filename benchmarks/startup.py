"""Benchmark: how fast ``scf`` starts.

Usage: ``python benchmarks/startup.py [--runs N] [--out PATH] [--compare GIT_REF]``

* process spawn → first API call of ``scf deploy --endpoint HOST:PORT``: an emulator runs inside this
  process; each run spawns the ``scf`` console script, and the time is the first request-log
  timestamp (stamped when the emulator has answered that first call) minus the wall-clock time just
  before ``Popen``. Every run deploys the same unchanged project (the first run creates it), so the
  first call is always ``GetFunction``;
* the tail of that deploy: from the answer to its last API call to the process's exit (planning,
  rendering the result, writing ``.serverless``, interpreter exit), and the CPU time (user + system,
  ``wait4``) of the whole process;
* wall time of ``scf --version`` and ``scf deploy --help``;
* whether ``scf --version`` imports ``tencentcloud`` (``python -X importtime``), and the heaviest
  imports on the way to the first call, to show where the time goes.

The tool is measured as installed: ``pip install`` writes the ``.pyc`` files of our modules, so the
benchmark compiles them first (``compileall``) and spawns every process without
``PYTHONDONTWRITEBYTECODE`` (set in some shells, it would make each run compile our modules again).

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


def script_entry() -> list[str]:
    """What follows ``python [-X …]`` to run ``scf``: its console script, else ``-m component`` (see compare_with)."""
    script = Path(sys.executable).parent / "scf"
    return [str(script)] if script.exists() else ["-m", "component"]


def clean_env() -> dict[str, str]:
    """The environment of every spawned process: no credentials, loopback unproxied, ``.pyc`` files used."""
    env = {k: v for k, v in os.environ.items() if k not in (*SECRET_VARS, "PYTHONDONTWRITEBYTECODE")}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def compile_bytecode(tree: Path) -> None:
    """Write the ``.pyc`` files of ``tree``'s ``component`` package, as ``pip install`` does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "component")], env=clean_env(), check=True,
                   stdout=subprocess.DEVNULL)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


class DeployRuns:
    """Per run of an unchanged ``scf deploy --endpoint``: seconds from spawn to the first answered API call,
    the whole wall time, from the last answered call to the exit, and the process's CPU time."""

    def __init__(self) -> None:
        self.firsts: list[float] = []
        self.totals: list[float] = []
        self.tails: list[float] = []
        self.cpus: list[float] = []
        self.calls = 0


def first_call_times(runs: int, project: Path) -> tuple[DeployRuns, tuple[int, list[tuple[int, int, str]]]]:
    """The timed runs, and the import profile of one more."""
    measured = DeployRuns()
    with EmulatorServer(EmulatorConfig(seed=1)) as server:
        command = [*scf_command(), "deploy", "--endpoint", server.endpoint, "--target", str(project)]
        subprocess.run(command, env=clean_env(), check=True, capture_output=True)  # create; warm the page cache
        for _ in range(runs):
            server.log.clear()
            spawned = time.time()
            child = subprocess.Popen(command, env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            ended = time.time()
            if status != 0:
                raise subprocess.CalledProcessError(status, command)
            log = server.request_log()
            measured.firsts.append(float(log[0]["timestamp"]) - spawned)
            measured.totals.append(ended - spawned)
            measured.tails.append(ended - float(log[-1]["timestamp"]))
            measured.cpus.append(usage.ru_utime + usage.ru_stime)
            measured.calls = len(log)
        profile = deploy_process_imports(server.endpoint, project)
    return measured, profile


def wall_times(argv: list[str], runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([*scf_command(), *argv], env=clean_env(), check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times[1:]  # the first run warms the page cache


def import_profile(argv: list[str]) -> tuple[bool, list[tuple[int, str]]]:
    """(imports tencentcloud?, the ten heaviest top-level imports as (cumulative µs, module))."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *script_entry(), *argv], env=clean_env(),
                          cwd=ROOT, capture_output=True, text=True, check=False)
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


def deploy_process_imports(endpoint: str, project: Path) -> tuple[int, list[tuple[int, int, str]]]:
    """``-X importtime`` of a real unchanged ``scf deploy --endpoint``: (total µs, top-level rows).

    Each row is (cumulative µs, self µs, module) for a module imported at the top level of the
    process (what its own imports cost is in its cumulative figure). The deploy imports a few
    modules after its first call (rendering the result): they are in the table too.
    """
    command = [sys.executable, "-X", "importtime", *script_entry(), "deploy", "--endpoint", endpoint,
               "--target", str(project)]
    proc = subprocess.run(command, env=clean_env(), cwd=ROOT, capture_output=True, text=True, check=True)
    rows: list[tuple[int, int, str]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        if not name.startswith("  "):
            rows.append((int(cumulative), int(own), name.strip()))
    return sum(row[0] for row in rows), sorted(rows, reverse=True)


CONSTRUCT_COSTS = """
import dataclasses, re, sys, time
spent = {"dataclass": [0, 0.0], "regex": [0, 0.0]}
def timed(kind, function):
    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[kind][0] += 1
            spent[kind][1] += time.process_time() - start
    return wrapper
dataclasses._process_class = timed("dataclass", dataclasses._process_class)
re._compile = timed("regex", re._compile)
start = time.process_time()
import component.cli, component.commands, component.cloud.sdk, component.deploy.packager
total = time.process_time() - start
print(total, *(value for pair in spent.values() for value in pair))
"""


def construct_costs() -> tuple[float, int, float, int, float]:
    """CPU seconds of the deploy's imports, and how many dataclasses / regex compilations and their CPU."""
    proc = subprocess.run([sys.executable, "-c", CONSTRUCT_COSTS], env=clean_env(), cwd=ROOT, capture_output=True,
                          text=True, check=True)
    total, classes, class_time, regexes, regex_time = proc.stdout.split()
    return float(total), int(classes), float(class_time), int(regexes), float(regex_time)


def deploy_import_profile() -> list[tuple[int, str]]:
    """Heaviest top-level imports of what a deploy loads before its first call."""
    code = "import component.cli, component.commands, component.cloud.sdk, component.deploy.packager"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], env=clean_env(), cwd=ROOT,
                          capture_output=True, text=True, check=False)
    rows: list[tuple[int, str]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip("\n") for part in line[len("import time:"):].split("|"))
        if not name.startswith("  "):
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:10]


def compare_with(ref: str, runs: int, project: Path) -> list[str]:
    """Interleaved runs of this tree and of git *ref* (exported to a temporary folder, run with the same
    interpreter and packages): CPU time of each whole ``scf deploy --endpoint`` process (``wait4``), which
    a loaded machine inflates less than wall time, its minor page faults, and the spawn → first call time.

    Each tree runs through the ``scf`` console script with ``PYTHONPATH`` set to it, as users run it:
    ``python -m component`` adds runpy's frames to the stack, and under CPython 3.11 the depth at which a
    module runs decides whether a recursive import-time regex compile crosses a 16 KiB frame-stack chunk
    boundary on every call (an ``mmap`` + ``munmap`` pair each time: thousands of page faults, ≈15 ms)."""
    results: dict[str, tuple[list[float], list[float], list[int]]] = {"this tree": ([], [], []), ref: ([], [], [])}
    with tempfile.TemporaryDirectory() as old, EmulatorServer(EmulatorConfig(seed=1)) as server:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        trees = {"this tree": str(ROOT), ref: old}
        compile_bytecode(Path(old))
        command = [sys.executable, *script_entry(), "deploy", "--endpoint", server.endpoint, "--target", str(project)]
        for run in range(runs + 1):  # the first round warms caches and writes .pyc files
            for name, tree in trees.items():
                server.log.clear()
                spawned = time.time()
                child = subprocess.Popen(command, env={**clean_env(), "PYTHONPATH": tree}, cwd=tree,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(child.pid, 0)
                if status != 0 or run == 0:
                    continue
                results[name][0].append(usage.ru_utime + usage.ru_stime)
                results[name][1].append(float(server.request_log()[0]["timestamp"]) - spawned)
                results[name][2].append(usage.ru_minflt)
        counts = {name: instructions(command, tree) for name, tree in trees.items()}
    return [f"| {name} | {len(cpu)} | {statistics.median(cpu):.3f} | {min(cpu):.3f} | "
            f"{statistics.median(faults):.0f} | {statistics.median(first):.3f} | {min(first):.3f} | {counts[name]} |"
            for name, (cpu, first, faults) in results.items() if cpu]


def instructions(command: list[str], tree: str) -> str:
    """Instructions executed by one whole run under ``valgrind --tool=callgrind`` (load-independent), or n/a."""
    if shutil.which("valgrind") is None:
        return "n/a (no valgrind)"
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.out", *command],
                              env={**clean_env(), "PYTHONPATH": tree}, cwd=tree, capture_output=True, text=True,
                              check=False)
    found = [line.split(":")[-1].strip() for line in proc.stderr.splitlines() if "Collected :" in line]
    return f"{int(found[-1]) / 1e9:.2f} G" if proc.returncode == 0 and found else "n/a (valgrind failed)"


def stats_row(label: str, values: list[float]) -> str:
    return (f"| {label} | {len(values)} | {statistics.median(values):.3f} | {percentile(values, 90):.3f} | "
            f"{min(values):.3f} | {max(values):.3f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "startup.md")
    parser.add_argument("--compare", metavar="GIT_REF", help="also run GIT_REF's tree interleaved with this one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "hello"
        shutil.copytree(ROOT / "examples" / "hello", project, ignore=shutil.ignore_patterns(".serverless"))
        compile_bytecode(ROOT)
        measured, (import_total, process_imports) = first_call_times(args.runs, project)
        comparison = compare_with(args.compare, args.runs, project) if args.compare else []
    version = wall_times(["--version"], args.runs)
    help_ = wall_times(["deploy", "--help"], args.runs)
    version_sdk, version_imports = import_profile(["--version"])
    help_sdk, _ = import_profile(["deploy", "--help"])
    deploy_imports = deploy_import_profile()
    import_cpu, classes, class_cpu, regexes, regex_cpu = construct_costs()
    firsts = measured.firsts
    median_first = statistics.median(firsts)
    met = median_first <= GOAL_FIRST_CALL
    lines = [
        "# Startup benchmark: process spawn → first API call",
        "",
        "- Command: `python benchmarks/startup.py`" + (f" `--runs {args.runs}`" if args.runs != 15 else "")
        + (f" `--compare {args.compare}`" if args.compare else ""),
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average at the end "
        f"{' / '.join(f'{load:.1f}' for load in os.getloadavg())} (1/5/15 min; above ~1 wall times inflate)",
        f"- Spawned: `{' '.join(Path(c).name for c in scf_command())} …` (the console script); emulator in the "
        "benchmark process, no injected latency; unchanged redeploy of `examples/hello`",
        "- First call = request-log timestamp of the first request (stamped after the emulator answered it) "
        "minus the wall clock just before `Popen`; after the last call = the process's exit minus the request-log "
        f"timestamp of its last request ({measured.calls} calls per run, all reads); CPU = user + system time of the "
        "whole process (`wait4`)",
        "- Bytecode: `python -m compileall -q component` first and every process spawned without "
        "`PYTHONDONTWRITEBYTECODE`, so our modules load from `.pyc` files as after `pip install`",
        "",
        "| Measure (s) | Runs | Median | p90 | Min | Max |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        stats_row("spawn → first API call (`scf deploy --endpoint …`)", firsts),
        stats_row("whole unchanged `scf deploy --endpoint …`", measured.totals),
        stats_row("last API call → exit (same runs)", measured.tails),
        stats_row("CPU of the whole process (same runs)", measured.cpus),
        stats_row("`scf --version`", version),
        stats_row("`scf deploy --help`", help_),
        "",
        f"- Goal: median spawn → first call ≤ {GOAL_FIRST_CALL} s: **{'met' if met else 'missed'}** "
        f"({median_first:.3f} s median, p90 {percentile(firsts, 90):.3f} s)",
        f"- `scf --version` imports tencentcloud: **{'yes' if version_sdk else 'no'}**; "
        f"`scf deploy --help` imports tencentcloud: **{'yes' if help_sdk else 'no'}** (`python -X importtime`)",
        "",
        *([f"Interleaved with `{args.compare}` (`--compare {args.compare}`; same interpreter and packages, "
           "same project, alternating runs; CPU = user + system time of the whole process):", "",
           "| tree | runs | CPU median (s) | CPU min (s) | minor page faults | first call median (s) | "
           "first call min (s) | instructions, one run (callgrind) |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", *comparison, ""] if comparison else []),
        "What each import costs in an unchanged `scf deploy --endpoint …` (`python -X importtime …/scf "
        "deploy …`, one run after the timed ones, so the validation cache is warm; top-level imports of the "
        f"process, {import_total / 1000:.1f} ms in all; cumulative includes what the module imports):",
        "",
        "| module | cumulative (ms) | self (ms) | share |",
        "| --- | ---: | ---: | ---: |",
        *[f"| `{name}` | {cumulative / 1000:.1f} | {own / 1000:.1f} | {cumulative / import_total:.0%} |"
          for cumulative, own, name in process_imports[:15]],
        "",
        f"Of the CPU time of those imports ({import_cpu * 1000:.0f} ms, `time.process_time`), {classes} "
        f"`@dataclass` classes take {class_cpu * 1000:.1f} ms ({class_cpu / import_cpu:.0%}) and {regexes} "
        f"`re.compile` calls (ours and the libraries', cached or not) {regex_cpu * 1000:.1f} ms "
        f"({regex_cpu / import_cpu:.0%}).",
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
