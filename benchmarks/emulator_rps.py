"""Signed requests per second through the official SDK against the SCF emulator.

Starts ``python -m component.emulator`` as a separate process (so client and server do
not share a GIL), then measures, through ``ScfClient`` with TC3 signing:

* GetFunction, sequential (one client), with N threads (one client per thread) and with
  P client processes (the SDK client itself costs ~1 ms of CPU per call, so one Python
  client process cannot show the server's capacity);
* Invoke on an alias with a 10 % weighted split (routing decision + a Node.js handler in its worker);
* Invoke of a Python3.9 handler (user code run from the version's zip, stdout captured into the Log);
* ``routing.choose_version`` alone, in-process (pure routing decisions per second).

Writes ``benchmarks/results/emulator_rps.md``.  Usage:

    python benchmarks/emulator_rps.py [--requests 3000] [--threads 4] [--processes 2] [--py-invokes 300]
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import platform
import random
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from figures import record
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.scf.v20180416 import models
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from component.emulator.scf.models import Alias
from component.emulator.scf.routing import choose_version

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "emulator_rps.md"


def client(endpoint: str) -> ScfClient:
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http"))
    return ScfClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou", profile)


def setup(scf: ScfClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.js", "exports.main = async (e) => e;\n")
    scf.call_json("CreateFunction", {"FunctionName": "bench", "Handler": "index.main", "Runtime": "Nodejs18.15",
                                     "Code": {"ZipFile": base64.b64encode(buffer.getvalue()).decode()}})
    for _ in range(2):
        scf.call_json("PublishVersion", {"FunctionName": "bench"})
    scf.call_json("CreateAlias", {"FunctionName": "bench", "Name": "live", "FunctionVersion": "1",
                                  "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.1}]}})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def main_handler(event, context):\n    print('n', event.get('n'))\n"
                                     "    return {'n': event.get('n')}\n")
    scf.call_json("CreateFunction", {"FunctionName": "bench-py", "Handler": "index.main_handler",
                                     "Runtime": "Python3.9",
                                     "Code": {"ZipFile": base64.b64encode(buffer.getvalue()).decode()}})


def python_invokes(endpoint: str, count: int) -> tuple[float, float]:
    """Sequential invokes of the Python handler; returns (invokes/s, median latency in ms)."""
    scf = client(endpoint)
    request = models.InvokeRequest()
    request.FunctionName = "bench-py"
    request.LogType = "Tail"  # the log comes back only when asked for, as on the real API
    scf.Invoke(request)  # first call: zip extraction (and, with workers, the worker's start)
    latencies = []
    start = time.perf_counter()
    for index in range(count):
        request.ClientContext = f'{{"n": {index}}}'
        began = time.perf_counter()
        result = scf.Invoke(request).Result
        latencies.append((time.perf_counter() - began) * 1000)
        assert result.InvokeResult == 0 and f"n {index}" in result.Log, result.Log
    latencies.sort()
    return count / (time.perf_counter() - start), latencies[len(latencies) // 2]


def get_function_loop(scf: ScfClient, count: int) -> None:
    request = models.GetFunctionRequest()
    request.FunctionName = "bench"
    for _ in range(count):
        scf.GetFunction(request)


def sequential(endpoint: str, count: int) -> float:
    scf = client(endpoint)
    start = time.perf_counter()
    get_function_loop(scf, count)
    return count / (time.perf_counter() - start)


def threaded(endpoint: str, count: int, threads: int) -> float:
    per_thread = count // threads
    workers = [threading.Thread(target=get_function_loop, args=(client(endpoint), per_thread))
               for _ in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return per_thread * threads / (time.perf_counter() - start)


def _timed_loop(job: tuple[str, int]) -> tuple[float, float]:
    endpoint, count = job
    scf = client(endpoint)
    get_function_loop(scf, 50)
    start = time.perf_counter()
    get_function_loop(scf, count)
    return start, time.perf_counter()


def processes(endpoint: str, count: int, workers: int) -> float:
    per_worker = count // workers
    with ProcessPoolExecutor(workers) as pool:
        spans = list(pool.map(_timed_loop, [(endpoint, per_worker)] * workers))
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return per_worker * workers / elapsed


def invokes(endpoint: str, count: int) -> tuple[float, float]:
    scf = client(endpoint)
    request = models.InvokeRequest()
    request.FunctionName, request.Qualifier = "bench", "live"
    request.LogType = "Tail"  # the emulator's START line (an emulator extra) names the version that served
    canary = 0
    start = time.perf_counter()
    for _ in range(count):
        if scf.Invoke(request).Result.Log.split("\n", 1)[0].endswith("Version: 2"):
            canary += 1
    return count / (time.perf_counter() - start), canary / count


def pure_routing(count: int) -> float:
    alias = Alias("live", "1", "", 0.0, 0.0, [{"Version": "2", "Weight": 0.1}], [])
    rng = random.Random(1)
    start = time.perf_counter()
    for _ in range(count):
        choose_version(alias, {}, rng)
    return count / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--py-invokes", type=int, default=300)
    args = parser.parse_args()
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    os.environ["NO_PROXY"] = "127.0.0.1"
    proc = subprocess.Popen([sys.executable, "-m", "component.emulator", "--seed", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    endpoint = proc.stdout.readline().strip()
    try:
        setup(client(endpoint))
        get_function_loop(client(endpoint), 200)  # warm-up
        seq = sequential(endpoint, args.requests)
        par = threaded(endpoint, args.requests, args.threads)
        multi = processes(endpoint, args.requests, args.processes)
        inv, share = invokes(endpoint, args.requests)
        py_rate, py_median = python_invokes(endpoint, args.py_invokes)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    route = pure_routing(1_000_000)
    command = f"{Path(sys.executable).name} benchmarks/emulator_rps.py --requests {args.requests} " \
              f"--threads {args.threads} --processes {args.processes} --py-invokes {args.py_invokes}"
    lines = [
        "# SCF emulator: signed requests per second through the official SDK",
        "",
        f"Command: `{command}` (run from the repository root; the emulator runs as a separate process "
        "`python -m component.emulator --seed 1`)",
        "",
        f"Machine: `{platform.platform()}`, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        "| Measurement | Result |",
        "|---|---|",
        f"| GetFunction, sequential, 1 client, {args.requests} calls (TC3-signed, HTTP keep-alive) | "
        f"{seq:,.0f} req/s |",
        f"| GetFunction, {args.threads} threads, 1 client each, {args.requests} calls total | {par:,.0f} req/s |",
        f"| GetFunction, {args.processes} client processes, {args.requests} calls total | {multi:,.0f} req/s |",
        f"| Invoke via alias (10 % weight to v2, Node.js handler), sequential, {args.requests} calls | "
        f"{inv:,.0f} invokes/s (v2 share {share:.1%}) |",
        f"| Invoke of a Python3.9 handler (prints, returns JSON), sequential, {args.py_invokes} calls | "
        f"{py_rate:,.0f} invokes/s (median {py_median:.1f} ms per call) |",
        f"| `routing.choose_version` alone, in-process, 1,000,000 decisions | {route:,.0f} decisions/s |",
        "",
        "Goal: >= 1,000 signed req/s. One Python SDK client is CPU-bound on its own side (requests + model",
        "(de)serialisation, about 1 ms per call); the emulator answers a call in about 0.3 ms, so the",
        "multi-process row is the one that shows the server's throughput.",
        "",
        "Python handlers run in a persistent worker per version (one long-lived subprocess speaking",
        "line-delimited JSON, see `component/emulator/scf/runner.py`). Before it, with a fresh subprocess per",
        "invocation (commit 916c120, same command and machine), the Python-handler row measured 22 invokes/s",
        "(median 42.2 ms per call).",
        "",
    ]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text("\n".join(lines), encoding="utf-8")
    record("emulator_rps", [
        {"what": "emulator, signed requests through the SDK",
         "figure": f"{seq:,.0f}/s one client, {multi:,.0f}/s {args.processes} client processes",
         "goal": "≥ 1,000/s", "met": max(seq, par, multi) >= 1000},
        {"what": "emulator, Python-handler invokes", "figure": f"{py_rate:,.0f}/s (median {py_median:.1f} ms)",
         "goal": "—", "met": True},
    ], RESULT.parent)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
