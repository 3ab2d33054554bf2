"""Benchmark: GetFunction polls per wait and overshoot, over a spread of transition lengths.

Usage: ``python benchmarks/polling.py [--functions 40] [--waits 8] [--jitter 0.1] [--seed 2026] [--out PATH]``

Each simulated function gets its own transition length drawn log-uniform between 0.2 s and 10 s (the
seed is printed in the result; change it to see another draw), and every wait's real transition is
that length times a uniform jitter of ±``--jitter``. Each function is updated ``--waits`` times in a
row (``UpdateFunctionCode`` then the waiter), the way successive deploys of one project are: the
history persists between waits, as it does between deploys under ``.serverless/``. A second scenario
uses one stable 1 s transition for every wait.

Everything real but time: the production :class:`~component.deploy.waiter.Waiter` and its
:class:`~component.deploy.transitions.TransitionHistory`, the official SDK, the emulator over HTTP; the
emulator's status machine and the waiter share a fake clock that only the waiter's sleeps advance, so
10 s transitions cost no real time and the figures are exact. Polls are the emulator's own count of
``GetFunction`` calls; overshoot is (time from the write to the poll that saw Active) / (the real
transition). The same waits are run with the history disabled (the back-off alone) as the baseline.

Goals (issue #17): median ≤ 1.5 polls per wait; overshoot ≤ 1.2× the real transition (judged on the
95th percentile; the worst is printed too). Results: ``benchmarks/results/polling.md``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import math
import platform
import random
import statistics
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import record  # noqa: E402

from component.cloud.api import ScfApi  # noqa: E402
from component.cloud.credentials import Credentials  # noqa: E402
from component.cloud.sdk import SdkTransport  # noqa: E402
from component.deploy.transitions import TransitionHistory  # noqa: E402
from component.deploy.waiter import Waiter  # noqa: E402
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer  # noqa: E402


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)


class Forgetful(TransitionHistory):
    """The baseline, the schedule before learning: poll at once after the write, then back off."""

    def expect(self, function: str, action: str) -> float:
        return 0.0

    def observe(self, function: str, action: str, *, at_most: float, at_least: float | None) -> None:
        return None


@dataclass(frozen=True)
class Wait:
    polls: int
    overshoot: float


def _zip() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def main_handler(event, context):\n    return 1\n")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def run(transitions: list[list[float]], learn: bool) -> list[Wait]:
    clock = FakeClock()
    waits: list[Wait] = []
    with EmulatorServer(EmulatorConfig(clock=clock.now, seed=1)) as server:
        creds = Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
        api = ScfApi(SdkTransport(creds, "ap-guangzhou", endpoint=server.endpoint, sleep=clock.sleep))
        history = TransitionHistory() if learn else Forgetful()
        code = _zip()
        for index, lengths in enumerate(transitions):
            name = f"fn{index}"
            server.backend.config.status_delay = 0.0
            api.create_function({"FunctionName": name, "Runtime": "Python3.9", "Handler": "index.main_handler",
                                 "Code": {"ZipFile": code}})
            for length in lengths:
                # One waiter per deploy, as the CLI builds one per command; the history outlives it.
                waiter = Waiter(api, sleep=clock.sleep, clock=clock.now, history=history)
                server.backend.config.status_delay = length
                api.update_code(name, {"ZipFile": code})
                waiter.written(name, "UpdateFunctionCode")
                start, before = clock.now(), _polls(server)
                waiter.until_active(name)
                waits.append(Wait(_polls(server) - before, (clock.now() - start) / length))
    return waits


def _polls(server: EmulatorServer) -> int:
    return sum(1 for entry in server.request_log() if entry["action"] == "GetFunction")


def spread(rng: random.Random, functions: int, waits: int, jitter: float) -> list[list[float]]:
    bases = [math.exp(rng.uniform(math.log(0.2), math.log(10.0))) for _ in range(functions)]
    return [[base * rng.uniform(1 - jitter, 1 + jitter) for _ in range(waits)] for base in bases]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(label: str, waits: list[Wait]) -> tuple[str, dict[str, object]]:
    polls = [float(w.polls) for w in waits]
    over = [w.overshoot for w in waits]
    ok = statistics.median(polls) <= 1.5 and quantile(over, 0.95) <= 1.2
    figure = {
        "what": f"GetFunction polls per wait / overshoot, {label}",
        "figure": f"median {statistics.median(polls):g} poll (mean {statistics.mean(polls):.2f}), "
        f"p95 overshoot {quantile(over, 0.95):.2f}×",
        "goal": "median ≤ 1.5 polls, p95 overshoot ≤ 1.2×",
        "met": ok,
    }
    text = (f"| {label} | {len(waits)} | {statistics.median(polls):g} | {quantile(polls, 0.95):g} | {max(polls):g} "
            f"| {statistics.mean(polls):.2f} | {statistics.median(over):.3f}× | {quantile(over, 0.95):.3f}× "
            f"| {max(over):.3f}× | {'met' if ok else '**missed**'} |")
    return text, figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=40)
    parser.add_argument("--waits", type=int, default=8)
    parser.add_argument("--jitter", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "polling.md")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    scenarios = {
        f"log-uniform 0.2–10 s, ±{args.jitter:.0%} per wait": spread(rng, args.functions, args.waits, args.jitter),
        "stable 1 s": [[1.0] * args.waits for _ in range(args.functions)],
    }
    lines = [
        "# Polling benchmark: GetFunction polls per wait and overshoot",
        "",
        f"- Command: `python benchmarks/polling.py --functions {args.functions} --waits {args.waits} "
        f"--jitter {args.jitter} --seed {args.seed}`",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {platform.machine()}, Python {platform.python_version()}",
        "- Real waiter, official SDK, emulator over HTTP; fake clock shared by the emulator's status machine and "
        "the waiter (exact figures, no real sleeping). Overshoot = write → poll that saw Active, over the real "
        "transition. Goal: median polls ≤ 1.5 and 95th-percentile overshoot ≤ 1.2×.",
        "",
        "| scenario | waits | median polls | p95 polls | worst polls | mean polls | median overshoot "
        "| p95 overshoot | worst overshoot | goal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    figures = []
    for label, transitions in scenarios.items():
        for learn, name in ((True, "learned first poll"), (False, "back-off only (before)")):
            text, figure = row(f"{label}: {name}", run(transitions, learn))
            lines.append(text)
            if learn:
                figures.append({**figure, "what": f"GetFunction polls per wait / overshoot, {label}"})
    lines += ["", "The first wait of each function has no history of its own: it starts from the estimate "
              "learned on the functions before it (the per-action prior), or polls at once when there is none."]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record("polling", figures, args.out.parent)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
