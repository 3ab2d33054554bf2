"""A client-side limit on API calls per action, shared by every thread of a multi-instance run.

Tencent Cloud allows about 20 calls per second per action (``RequestLimitExceeded``: "Your current
request times equals to `20` in a second"). Many instances deploying at once easily exceed that with
their ``GetFunction`` polls, so every transport of a run goes through one :class:`RateLimiter`: at
most ``calls`` of one action in any sliding ``window`` of one second. The cloud counts a call when it
arrives, somewhere between our send and its answer, so a call occupies its slot from its send until
one window after its answer (:meth:`RateLimiter.done`), and never expires while the call is in flight:
the next call in that slot is sent at least a window after the old one arrived, whatever the latency,
its jitter, or a call slower than the window. (This replaced a window 10 %
longer than a second counted from the send, which guessed the jitter and cost 0.1 s per window.)

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

import math
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from component.errors import CloudError

if TYPE_CHECKING:
    from component.cloud.api import Transport

DEFAULT_CALLS = 20
DEFAULT_WINDOW = 1.0
THROTTLE_BUDGET = 60.0
DEFAULT_PARALLEL = DEFAULT_CALLS  # instances at once: one first wave of reads per window (see above)
# A slot is held from the send until one window after the answer: while the call is in flight it never
# expires (a call slower than the window, queued somewhere, used to free its slot before it even arrived).
IN_FLIGHT = math.inf
IN_FLIGHT_RECHECK = 0.05


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
        self._sent: dict[str, deque[list[float]]] = {}  # per action: each call's slot, [since when]
        self.waited = 0.0

    def acquire(self, action: str) -> list[float]:
        """Block until one more *action* call fits in the window, then count it from now; the returned
        slot is moved to the call's answer by :meth:`done`."""
        if self.calls <= 0:
            return [0.0]
        while True:
            with self._lock:
                now = self._clock()
                sent = self._sent.setdefault(action, deque())
                for slot in [s for s in sent if s[0] <= now - self.window]:
                    sent.remove(slot)
                if len(sent) < self.calls:
                    slot = [IN_FLIGHT]
                    sent.append(slot)
                    return slot
                answered = [s[0] for s in sent if s[0] != IN_FLIGHT]
                # every slot in flight: the first answer frees nothing for a window, so look again shortly
                delay = min(answered) + self.window - now if answered else IN_FLIGHT_RECHECK
                self.waited += delay
            self._sleep(max(delay, 0.001))

    def done(self, slot: list[float]) -> None:
        """The call of *slot* was answered (or failed): the cloud counted it no later than now."""
        with self._lock:
            slot[0] = self._clock()

    def pause(self, seconds: float) -> None:
        self._sleep(seconds)


class LimitedTransport:
    """A transport whose calls wait for the shared limiter and outlast throttling."""

    def __init__(self, inner: Transport, limiter: RateLimiter) -> None:
        self._inner, self._limiter = inner, limiter

    def call(self, service: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        backoff, spent = 0.5, 0.0
        while True:
            slot = self._limiter.acquire(action)
            try:
                return self._inner.call(service, action, params)
            except CloudError as exc:
                if not exc.code.startswith("RequestLimitExceeded") or spent >= THROTTLE_BUDGET:
                    raise
            finally:
                self._limiter.done(slot)
            self._limiter.pause(backoff)
            spent += backoff
            backoff = min(backoff * 2, 5.0)
