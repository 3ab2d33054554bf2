"""Run independent reads at the same time.

A deploy's reads after ``GetFunction`` (the versions, the alias, the code hash, the settings, the
triggers) do not depend on each other: sent one after another they cost one round trip each, sent
together one round trip in all. Each read runs in its own thread (the SDK transport keeps one client
per thread); results come back in the order the reads were given, and the first failure, in that
order, is raised in the caller's thread once every read has finished, so no read is left running
behind an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

Read = Callable[[], Any]


def gather(*reads: Read) -> list[Any]:
    """``[read() for read in reads]``, the reads running concurrently."""
    return gather_timed(*reads)[0]


def gather_timed(*reads: Read) -> tuple[list[Any], list[float]]:
    """:func:`gather`, and when each read was answered (``time.perf_counter``: real time, whatever clock the
    caller's waits use, since it measures real round trips)."""
    if not reads:
        return [], []
    results: list[Any] = [None] * len(reads)
    finished: list[float] = [0.0] * len(reads)
    errors: list[BaseException | None] = [None] * len(reads)

    def run(index: int) -> None:
        try:
            results[index] = reads[index]()
        except BaseException as exc:  # re-raised in the caller's thread below
            errors[index] = exc
        finished[index] = time.perf_counter()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(1, len(reads))]
    for thread in threads:
        thread.start()
    run(0)  # the first read in this thread: one thread fewer to start
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results, finished
