"""A client-side limit on API calls per action, shared by every thread of a multi-instance run.

Tencent Cloud allows about 20 calls per second per action (``RequestLimitExceeded``: "Your current
request times equals to `20` in a second"). Four instances deploying at once easily exceed that with
their ``GetFunction`` polls, so every transport of a run goes through one :class:`RateLimiter`: at
most ``calls`` of one action in any sliding ``window``. The window is 10 % longer than a second
because the cloud counts a call when it arrives, not when we send it, and latency jitter can move a
call across the boundary.

Throttling that still happens (another tool on the same account) is retried with back-off by the
SDK transport (``component.cloud.sdk``); if that gives up, :class:`LimitedTransport` keeps retrying for up to
``THROTTLE_BUDGET`` seconds. A throttled call was refused before it did anything, so retrying is safe.
Clock and sleep are injected so tests with a fake clock spend no real time.

The default number of instances deployed at once (``--parallel``) follows from the same limit, not
from a constant: :data:`DEFAULT_PARALLEL` = :data:`DEFAULT_CALLS`. Every instance starts with the
same read (``GetFunction``), so the first wave of *N* workers sends *N* calls of one action at once;
``DEFAULT_CALLS`` workers is the largest pool whose first wave fits in one window, and a 21st worker
would only queue on the limiter. After that each worker sends its busiest action about once per
transition it waits for (one poll per wait, ``component.deploy.waiter``), and SCF transitions take a
second or more, so ``DEFAULT_CALLS`` workers stay near ``DEFAULT_CALLS`` calls per second of that
action: at the limit, not over it (the limiter holds back any excess). Fewer workers leave budget
unused: a deploy is bound by its waits, not by this machine (threads block on I/O), so 20 functions
with 1 s transitions took 4.8x one function at the old fixed 4 workers (five rounds of waits) and
take one round at 20 (``benchmarks/multi_instance.py``). Lower it with ``--parallel`` when another
job shares the account's budget.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from component.errors import CloudError

if TYPE_CHECKING:
    from component.cloud.api import Transport

DEFAULT_CALLS = 20
DEFAULT_WINDOW = 1.1
THROTTLE_BUDGET = 60.0
DEFAULT_PARALLEL = DEFAULT_CALLS  # instances at once: one first wave of reads per window (see above)


class RateLimiter:
    def __init__(
        self,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        calls: int = DEFAULT_CALLS,
        window: float = DEFAULT_WINDOW,
    ) -> None:
        self._clock, self._sleep = clock, sleep
        self.calls, self.window = calls, window
        self._lock = threading.Lock()
        self._sent: dict[str, deque[float]] = {}
        self.waited = 0.0

    def acquire(self, action: str) -> None:
        """Block until one more *action* call fits in the window, then count it."""
        if self.calls <= 0:
            return
        while True:
            with self._lock:
                now = self._clock()
                sent = self._sent.setdefault(action, deque())
                while sent and sent[0] <= now - self.window:
                    sent.popleft()
                if len(sent) < self.calls:
                    sent.append(now)
                    return
                delay = sent[0] + self.window - now
                self.waited += delay
            self._sleep(max(delay, 0.001))

    def pause(self, seconds: float) -> None:
        self._sleep(seconds)


class LimitedTransport:
    """A transport whose calls wait for the shared limiter and outlast throttling."""

    def __init__(self, inner: Transport, limiter: RateLimiter) -> None:
        self._inner, self._limiter = inner, limiter

    def call(self, service: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        backoff, spent = 0.5, 0.0
        while True:
            self._limiter.acquire(action)
            try:
                return self._inner.call(service, action, params)
            except CloudError as exc:
                if not exc.code.startswith("RequestLimitExceeded") or spent >= THROTTLE_BUDGET:
                    raise
            self._limiter.pause(backoff)
            spent += backoff
            backoff = min(backoff * 2, 5.0)
