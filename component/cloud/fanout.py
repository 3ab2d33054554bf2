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
from collections.abc import Callable
from typing import Any

Read = Callable[[], Any]


def gather(*reads: Read) -> list[Any]:
    """``[read() for read in reads]``, the reads running concurrently."""
    if len(reads) <= 1:
        return [read() for read in reads]
    results: list[Any] = [None] * len(reads)
    errors: list[BaseException | None] = [None] * len(reads)

    def run(index: int) -> None:
        try:
            results[index] = reads[index]()
        except BaseException as exc:  # re-raised in the caller's thread below
            errors[index] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(1, len(reads))]
    for thread in threads:
        thread.start()
    run(0)  # the first read in this thread: one thread fewer to start
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results
