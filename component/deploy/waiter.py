"""Wait for a function (or one of its versions) to settle.

SCF's management API is asynchronous: after a write the function is ``Creating``/``Updating``/
``Publishing`` for a while, and the next write fails until it is ``Active`` again. We poll
``GetFunction`` with adaptive back-off: the first polls come quickly (most transitions take well under a
second), then each interval is a fixed fraction (15 %) of the time already waited, capped at one
second. So the time we wait beyond the real transition stays within about 15 % of it whatever its
length, at a bounded cost in calls (15 polls for a 1 s transition, 32 for 10 s, then one a second).
A failed state raises at once with the cloud's own reason (``StatusReasons``). The clock and sleep are
injected so tests run without real waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from component.cloud.api import ScfApi
from component.errors import FunctionStateError

BUSY = frozenset({"Creating", "Updating", "Publishing", "Deleting"})
FAILED = frozenset({"CreateFailed", "UpdateFailed", "PublishFailed", "DeleteFailed"})


@dataclass(frozen=True)
class Backoff:
    first: float = 0.05
    fraction: float = 0.15
    cap: float = 1.0
    timeout: float = 300.0

    def next_delay(self, waited: float) -> float:
        return min(max(self.first, waited * self.fraction), self.cap)

    def delays(self) -> list[float]:
        """The whole schedule up to the timeout (when nothing else takes time between polls)."""
        delays: list[float] = []
        total = 0.0
        while total < self.timeout:
            delays.append(self.next_delay(total))
            total += delays[-1]
        return delays


class Waiter:
    def __init__(
        self,
        api: ScfApi,
        *,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        backoff: Backoff | None = None,
        on_wait: Callable[[str, float], None] | None = None,
    ) -> None:
        self._api = api
        self._sleep = sleep
        self._clock = clock
        self._backoff = backoff or Backoff()
        self._on_wait = on_wait

    def until_settled(self, name: str, qualifier: str = "$LATEST") -> dict[str, Any] | None:
        """Poll until the function is not busy; return its last body (``None`` if it does not exist)."""
        start = self._clock()
        body = self._api.get_function(name, qualifier)
        while body is not None and body.get("Status") in BUSY:
            waited = self._clock() - start
            if waited >= self._backoff.timeout:
                break
            self._sleep(self._backoff.next_delay(waited))
            body = self._api.get_function(name, qualifier)
        if body is not None and body.get("Status") in BUSY:
            msg = (
                f"function {name} ({qualifier}) is still {body.get('Status')} after "
                f"{self._backoff.timeout:.0f}s; try again later"
            )
            raise FunctionStateError(msg)
        self._report(name, start)
        return body

    def until_active(self, name: str, qualifier: str = "$LATEST") -> dict[str, Any]:
        body = self.until_settled(name, qualifier)
        if body is None:
            msg = f"function {name} disappeared while waiting for it to become Active"
            raise FunctionStateError(msg)
        status = str(body.get("Status"))
        if status != "Active":
            raise FunctionStateError(failure_message(name, qualifier, body))
        return body

    def until_gone(self, name: str) -> None:
        start = self._clock()
        while self._clock() - start < self._backoff.timeout:
            if self._api.get_function(name) is None:
                self._report(name, start)
                return
            self._sleep(self._backoff.next_delay(self._clock() - start))
        msg = f"function {name} still exists {self._backoff.timeout:.0f}s after DeleteFunction"
        raise FunctionStateError(msg)

    def _report(self, name: str, start: float) -> None:
        if self._on_wait is not None:
            self._on_wait(name, self._clock() - start)


def failure_message(name: str, qualifier: str, body: dict[str, Any]) -> str:
    status = str(body.get("Status"))
    reasons = body.get("StatusReasons") or []
    detail = "; ".join(f"{r.get('ErrorCode', '')}: {r.get('ErrorMessage', '')}".strip(": ") for r in reasons)
    detail = detail or str(body.get("StatusDesc") or "no reason given by the cloud")
    where = name if qualifier == "$LATEST" else f"{name} version {qualifier}"
    return f"function {where} is {status}: {detail}"
