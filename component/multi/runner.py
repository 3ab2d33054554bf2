"""Run one piece of work per instance over the graph, independent instances concurrently.

A bounded thread pool (``--parallel``, default ``ratelimit.DEFAULT_PARALLEL``) takes every instance
whose dependencies have all succeeded. When one fails, everything that depends on it, directly or not,
is *skipped* (reported as "depends on X") and never started; unrelated instances carry on, so one bad
instance does not hide the state of the rest. The work itself is a callable supplied by the caller
(deploy, remove, info), which keeps this module free of cloud and configuration code and lets it be tested on its own.

Ctrl-C cancels everything not yet started; running instances finish their current API call.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from component.errors import ScfError
from component.multi.graph import Graph
from component.multi.ratelimit import DEFAULT_PARALLEL


@dataclass(frozen=True)
class Outcome:
    instance: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float | None
    exit_code: int = 0
    detail: str = ""  # the error, or "depends on X"
    result: Any = None


Work = Callable[[str], Any]


def run_graph(
    graph: Graph,
    work: Work,
    *,
    parallel: int = DEFAULT_PARALLEL,
    clock: Callable[[], float],
    on_done: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Run *work(name)* for every instance, honouring ``graph.needs``; outcomes in graph order."""
    outcomes: dict[str, Outcome] = {}
    pending = dict(graph.needs)
    running: dict[Future[Outcome], str] = {}
    with ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="scf-instance") as pool:
        try:
            while pending or running:
                for name in _ready(pending, outcomes):
                    del pending[name]
                    running[pool.submit(_timed, work, name, clock)] = name
                if not running:  # everything left waits on something that failed
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    del running[future]
                    outcomes[outcome.instance] = outcome
                    on_done(outcome)
                    if outcome.status != "ok":
                        _skip_dependents(graph, outcome.instance, pending, outcomes, on_done)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [outcomes[name] for name in graph.order() if name in outcomes]


def _ready(pending: dict[str, tuple[str, ...]], outcomes: dict[str, Outcome]) -> list[str]:
    return sorted(n for n, deps in pending.items() if all(d in outcomes and outcomes[d].status == "ok" for d in deps))


def _skip_dependents(
    graph: Graph,
    failed: str,
    pending: dict[str, tuple[str, ...]],
    outcomes: dict[str, Outcome],
    on_done: Callable[[Outcome], None],
) -> None:
    for name in graph.order():
        if name in pending and any(d == failed for d in pending[name]):
            del pending[name]
            outcome = Outcome(name, "skipped", None, detail=f"depends on {failed}")
            outcomes[name] = outcome
            on_done(outcome)
            _skip_dependents(graph, name, pending, outcomes, on_done)


def _timed(work: Work, name: str, clock: Callable[[], float]) -> Outcome:
    start = clock()
    try:
        result = work(name)
    except ScfError as exc:
        return Outcome(name, "failed", clock() - start, exc.exit_code, str(exc))
    except Exception as exc:  # a bug in one instance must not take the others down
        detail = f"internal error (a bug, please report it): {exc!r}\n{traceback.format_exc()}"
        return Outcome(name, "failed", clock() - start, 1, detail)
    return Outcome(name, "ok", clock() - start, result=result)
