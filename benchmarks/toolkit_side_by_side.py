"""Benchmark: the Node component's toolkit on our emulator, the three deploys of ``deploy_calls.py``.

Usage: ``python benchmarks/toolkit_side_by_side.py [--latency-ms MS] [--status-delay S] [--runs N]
[--toolkit-dir DIR] [--out PATH]``

The Node ``tencent-scf`` component deploys through ``tencent-component-toolkit``'s ``Scf.deploy``. This
benchmark installs that toolkit (``npm install tencent-component-toolkit@2.27.6`` into ``--toolkit-dir``,
default ``/tmp/scf-toolkit-bench``, kept between runs; nothing is vendored into the repository) and drives
it with ``benchmarks/toolkit/driver.js``: one new ``node`` process per deploy, timed from spawn to exit like
our ``scf`` processes, against the emulator running in this process with the same settings as
``deploy_calls.py`` (``--latency-ms`` per call, ``--status-delay`` s of ``Creating``/``Updating``/
``Publishing``, real clock). Calls are counted from the emulator's request log.

Each run makes a new function and deploys it three times: create; code changed + ``publish=true
traffic=0.1`` (the Node component's ``--inputs publish=true traffic=0.1``); the same inputs again with the
code unchanged; and, as an extra row, once more without ``--inputs`` (a plain ``sls deploy``: no version
published, no alias written, the toolkit's least work on unchanged code). What the component does around
the toolkit is imitated in the driver (``lastVersion`` from the instance state, ``events: []``). The code
is put where the emulator serves COS objects from, under a new object key per deploy as the component
names it: the component's COS upload (``putBucket``, ``putBucketLifecycle``, ``putObject``) and its
zipping are not counted. ``--bare`` leaves out the component's ``events: []`` (no trigger step: two
calls fewer per deploy).

Needs ``node`` and ``npm``; without them (or when the install fails) it says so and exits 2, writing
nothing. Results: ``benchmarks/results/toolkit_side_by_side.md`` and ``toolkit_side_by_side.json`` (the
medians, for putting our figures beside them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component.emulator import EmulatorConfig, EmulatorServer
from component.emulator.keys import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "benchmarks" / "toolkit" / "driver.js"
TOOLKIT = "tencent-component-toolkit"
TOOLKIT_VERSION = "2.27.6"
DEFAULT_DIR = Path(tempfile.gettempdir()) / "scf-toolkit-bench"  # npm installs the toolkit here, once
BUCKET = "sls-cloudfunction-ap-guangzhou-code"  # the component's default bucket, without the app id
SECRET_VARS = ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN",
               "TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_TOKEN", "SCF_ENDPOINT")
WRITES = frozenset({"CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "DeleteFunction",
                    "PublishVersion", "CreateAlias", "UpdateAlias", "DeleteAlias", "DeleteFunctionVersion"})
SHIFT = {"publish": True, "traffic": 0.1}
SCENARIOS = (  # name as in deploy_calls.py, extra inputs, code text appended before the deploy
    ("create", {}, ""),
    ("change + publish + shift 10 %", SHIFT, "# v2\n"),
    ("unchanged redeploy", SHIFT, ""),
    ("unchanged redeploy, plain `deploy` (extra)", {}, ""),
)
HANDLER = "def main_handler(event, context):\n    return 'v1'\n"


class Unavailable(Exception):
    """node/npm missing or the toolkit cannot be installed: no figures can be measured."""


@dataclass
class Sample:
    actions: list[str]
    wall: float  # spawn to exit, seconds
    load: float  # require() of the toolkit inside the process, seconds
    deploy: float  # Scf.deploy() alone, seconds


def run_quiet(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def ensure_toolkit(directory: Path) -> dict[str, str]:
    """Install the toolkit into ``directory`` unless that version is there; return the versions in use."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            msg = f"`{tool}` is not on PATH: the Node toolkit cannot be run, so no figures are measured"
            raise Unavailable(msg)
    installed = directory / "node_modules" / TOOLKIT / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != TOOLKIT_VERSION:
        manifest = directory / "package.json"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if not manifest.exists():
                manifest.write_text('{"name": "scf-toolkit-bench", "private": true}\n')
        except OSError as exc:
            msg = f"cannot prepare {directory} for the toolkit: {exc}"
            raise Unavailable(msg) from exc
        print(f"installing {TOOLKIT}@{TOOLKIT_VERSION} into {directory} (npm) …", file=sys.stderr)
        proc = run_quiet(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts",
                          f"{TOOLKIT}@{TOOLKIT_VERSION}"], cwd=directory)
        if proc.returncode != 0:
            msg = f"npm install {TOOLKIT}@{TOOLKIT_VERSION} failed ({proc.returncode}):\n{proc.stderr[-2000:]}"
            raise Unavailable(msg)
    capi = directory / "node_modules" / "@tencent-sdk" / "capi" / "package.json"
    return {"node": run_quiet(["node", "--version"]).stdout.strip(),
            "npm": run_quiet(["npm", "--version"]).stdout.strip(),
            TOOLKIT: json.loads(installed.read_text())["version"],
            "@tencent-sdk/capi": json.loads(capi.read_text())["version"]}


def put_code(cos_dir: Path, text: str) -> str:
    """Write the zip where the emulator serves COS objects; a new key per deploy, named as the component does."""
    key = f"/scf_component_{time.time_ns():x}-{int(time.time())}.zip"
    path = cos_dir / BUCKET / key.lstrip("/")
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.py", text)
    path.write_bytes(buffer.getvalue())
    return key


def node_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARS}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def deploy(server: EmulatorServer, toolkit_dir: Path, state: Path, inputs: dict[str, Any]) -> Sample:
    """One ``node driver.js`` process: the calls it made (from the request log) and its times."""
    job = {"endpoint": server.endpoint, "secretId": DEFAULT_SECRET_ID, "secretKey": DEFAULT_SECRET_KEY,
           "region": "ap-guangzhou", "statePath": str(state), "inputs": inputs}
    before = len(server.request_log())
    start = time.perf_counter()
    proc = subprocess.run(["node", str(DRIVER), str(toolkit_dir)], input=json.dumps(job), capture_output=True,
                          text=True, env=node_env(), check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"toolkit deploy failed ({proc.returncode}): {proc.stderr.strip()}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    actions = [str(e["action"]) for e in server.request_log()[before:]]
    return Sample(actions, wall, report["loadMs"] / 1000, report["deployMs"] / 1000)


def base_inputs(name: str, bare: bool) -> dict[str, Any]:
    """The inputs the component hands the toolkit for deploy_calls.py's serverless.yml (app ``calls``);
    ``bare``: without the component's ``events: []``, so the toolkit skips its trigger step."""
    return {"name": name, "handler": "index.main_handler", "runtime": "Python3.9", "region": "ap-guangzhou",
            "description": "This is a function in calls application", "events": None if bare else []}


def measure(args: argparse.Namespace, base: Path) -> dict[str, list[Sample]]:
    samples: dict[str, list[Sample]] = {name: [] for name, _, _ in SCENARIOS}
    cos_dir = base / "cos"
    config = EmulatorConfig(latency_ms=args.latency_ms, status_delay=args.status_delay, seed=1, cos_dir=cos_dir)
    with EmulatorServer(config) as server:
        for run in range(args.runs):
            code, state = HANDLER, base / f"state-{run}.json"
            for name, extra, change in SCENARIOS:
                code += change
                where = {"bucket": BUCKET, "object": put_code(cos_dir, code)}
                inputs = {**base_inputs(f"fn{run}", args.bare), **extra, "code": where}
                samples[name].append(deploy(server, args.toolkit_dir, state, inputs))
    return samples


def polls(actions: list[str]) -> int:
    return max(0, actions.count("GetFunction") - 1)


def summary(results: list[Sample]) -> dict[str, Any]:
    median_run = sorted(results, key=lambda s: len(s.actions))[len(results) // 2]
    return {"calls": statistics.median(len(s.actions) for s in results),
            "writes": sum(1 for a in median_run.actions if a in WRITES), "polls": polls(median_run.actions),
            "wall_s": statistics.median(s.wall for s in results),
            "load_s": statistics.median(s.load for s in results),
            "deploy_s": statistics.median(s.deploy for s in results),
            "calls_in_order": median_run.actions}


def table(summaries: dict[str, dict[str, Any]]) -> list[str]:
    lines = ["| scenario | toolkit calls / wall (s) | writes | polls | require (s) | `Scf.deploy` (s) | "
             "calls in the median run |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for name, s in summaries.items():
        lines.append(f"| {name} | {s['calls']:g} / {s['wall_s']:.2f} | {s['writes']} | {s['polls']} | "
                     f"{s['load_s']:.2f} | {s['deploy_s']:.2f} | {' → '.join(s['calls_in_order'])} |")
    return lines


def header(args: argparse.Namespace, versions: dict[str, str]) -> list[str]:
    options = "".join(f" {flag} {value:g}" for flag, value, default in
                      (("--latency-ms", args.latency_ms, 30.0), ("--status-delay", args.status_delay, 0.3),
                       ("--runs", args.runs, 5)) if value != default) + (" --bare" if args.bare else "")
    return [
        "# The Node component's toolkit on our emulator: API calls and wall time of three deploys",
        "",
        f"- Command: `python benchmarks/toolkit_side_by_side.py{options}`",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- Emulator in-process: {args.latency_ms:g} ms latency per call, state delay {args.status_delay:g} s "
        "(real clock); each deploy is a new `node benchmarks/toolkit/driver.js` process, timed from spawn to "
        f"exit; median of {args.runs} runs, each a new function deployed four times (the three scenarios, "
        "then the extra plain redeploy)",
        *(["- `--bare`: `Scf.deploy` called without the component's `events: []`, so no trigger step (no "
           "wait for `Active`, no `ListTriggers`): not what the component does"] if args.bare else []),
        "",
    ]


NOTES = [
    "",
    "- Same scenarios and emulator settings as `benchmarks/deploy_calls.py` (our `scf deploy`); the unchanged "
    "redeploy keeps `publish=true traffic=0.1`, as our benchmark does, so the toolkit publishes a version "
    "again: it has no notion of \"unchanged\" (it always sends `UpdateFunctionCode` and "
    "`UpdateFunctionConfiguration`). The extra row is a plain redeploy (no `--inputs`) after those three: "
    "the least the toolkit does on unchanged code.",
    "- The driver imitates the component around `Scf.deploy`: `lastVersion` comes from the instance state "
    "(here a JSON file per function), `events` defaults to `[]` (the component's `inputs.events || []`; an "
    "empty array is truthy in JS, so the toolkit still waits for `Active` and lists the triggers), and the "
    "state keeps `lastVersion`/`traffic` afterwards. Requests go to the emulator over http: the driver "
    "overrides the `host`/`protocol` the toolkit passes to `@tencent-sdk/capi` on each request; the "
    "signature (legacy HmacSHA1 form) covers that host.",
    "- Issue #17's toolkit figures (7 / 16 / 11 calls) are `Scf.deploy` without `events` (`--bare`, two "
    "calls fewer per deploy) and a plain unchanged redeploy: `python benchmarks/toolkit_side_by_side.py "
    "--bare` gives those counts.",
    "- Not counted: the component's COS upload (`putBucket`, `putBucketLifecycle`, `putObject`: three more "
    "calls on every deploy) and zipping; the code is placed where the emulator serves COS objects from.",
    "- Polls are the `GetFunction` calls after the first. The toolkit waits with `GetFunction` then "
    "500 ms sleeps, and waits again where ours does not (after create, before publishing, before the "
    "triggers).",
    "- `require` is loading the toolkit in the process; `Scf.deploy` is the deploy call alone; the wall time "
    "also includes starting node.",
    "",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--status-delay", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bare", action="store_true",
                        help="call Scf.deploy without the component's events: [] (no trigger step)")
    parser.add_argument("--toolkit-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "toolkit_side_by_side.md")
    args = parser.parse_args()
    try:
        versions = ensure_toolkit(args.toolkit_dir)
    except Unavailable as exc:
        print(f"toolkit_side_by_side: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        samples = measure(args, Path(tmp))
    summaries = {name: summary(results) for name, results in samples.items()}
    lines = header(args, versions) + table(summaries) + NOTES
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    figures = {"settings": {"latency_ms": args.latency_ms, "status_delay_s": args.status_delay, "runs": args.runs},
               "versions": versions, "scenarios": summaries}
    args.out.with_suffix(".json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
