"""Wait for a function (or one of its versions) to settle.

SCF's management API is asynchronous: after a write the function is ``Creating``/``Updating``/
``Publishing`` for a while, and the next write fails until it is ``Active`` again. The executor tells
the waiter about each write (:meth:`Waiter.written`); the wait that follows makes its first
``GetFunction`` at the end this kind of transition is expected to take (learned per function and
action, :mod:`component.deploy.transitions`; 200 ms when nothing is learned yet). A read that follows
no write polls at once. Later polls back off: each interval a fixed fraction (15 %) of the time already
waited, capped at one second, so the time waited beyond the real transition stays within about 15 % of
it whatever its length. Every wait that follows a write teaches the history how long it took.
A failed state raises at once with the cloud's own reason (``StatusReasons``). The clock and sleep are
injected so tests run without real waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from component.cloud.api import ScfApi
from component.cloud.fanout import Read, gather_timed
from component.deploy.transitions import TransitionHistory
from component.errors import FunctionStateError

BUSY = frozenset({"Creating", "Updating", "Publishing", "Deleting"})


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
        history: TransitionHistory | None = None,
    ) -> None:
        self._api = api
        self._sleep = sleep
        self._clock = clock
        self._backoff = backoff or Backoff()
        self._on_wait = on_wait
        self.history = history if history is not None else TransitionHistory()
        self._writes: dict[str, tuple[str, float]] = {}  # function → (action, when) of its last write
        self._refused: dict[str, float] = {}  # function → when a write on it was refused as busy
        self.alongside: list[Any] = []  # what the reads sent with the last wait's first poll returned
        self.alongside_fresh = False  # whether the last wait ended with its first read (alongside is current)
        self.alongside_lag: list[float] = []  # per alongside read: how long before the slowest read it was answered

    def written(self, name: str, action: str) -> None:
        """``action`` (an API action name) was just sent for ``name``: the next wait on it follows that write."""
        self._writes[name] = (action, self._clock())

    def until_settled(self, name: str, qualifier: str = "$LATEST") -> dict[str, Any] | None:
        """Poll until the function is not busy; return its last body (``None`` if it does not exist)."""
        read = lambda: self._api.get_function(name, qualifier)  # noqa: E731
        body: dict[str, Any] | None = self._poll(name, read, _busy, qualifier)
        return body

    def last_write(self, name: str) -> str:
        """The action of the write on ``name`` the next wait follows ("" when none)."""
        return self._writes.get(name, ("", 0.0))[0]

    def until_expected(self, name: str) -> None:
        """Sleep until the learned end of the last write's transition on ``name``, without reading.

        For a write that the cloud refuses while the function is busy (``PublishVersion``): sent at the
        expected end instead of after a poll, it is its own poll (``component.deploy.executor``).
        """
        action, start = self._writes.get(name, ("", self._clock()))
        if action:
            self._sleep_until(start + self.history.expect(name, action))

    def refused(self, name: str) -> None:
        """The cloud just refused a write on ``name`` because it is busy: the next wait learns the lower bound."""
        self._refused[name] = self._clock()

    def settled(self, name: str) -> None:
        """The cloud just accepted a write that needs ``name`` idle: the transition before it is over.

        The history learns that it took at most this long, as if a poll had seen it settled.
        """
        action, start = self._writes.pop(name, ("", 0.0))
        if action:
            self.history.observe(name, action, at_most=self._clock() - start, at_least=None)

    def _sleep_until(self, moment: float) -> None:
        remaining = moment - self._clock()
        if remaining > 0:  # the expected end may already be behind us (a slow write)
            self._sleep(remaining)

    def _poll(
        self, name: str, read: Callable[[], Any], busy: Callable[[Any], bool], qualifier: str = "$LATEST",
        alongside: tuple[Read, ...] = (),
    ) -> Any:
        """Read until ``busy`` says no: first read at the learned end of the last write's transition.

        ``alongside`` reads go out together with the first read (their results are kept in
        :attr:`alongside`, a failure as the exception); they are fresh only when that read was the last.
        """
        action, start = self._writes.pop(name, ("", self._clock()))
        if action:
            self._sleep_until(start + self.history.expect(name, action))
        (body, *self.alongside), finished = gather_timed(read, *(_captured(r) for r in alongside))
        self.alongside_lag = [max(finished) - t for t in finished[1:]]
        refused = self._refused.pop(name, None)  # a write refused as busy: the transition lasted at least that
        busy_until = None if refused is None or not action else refused - start
        self.alongside_fresh = True
        while busy(body) and self._clock() - start < self._backoff.timeout:
            busy_until = self._clock() - start  # the transition lasted at least this long
            self._sleep(self._backoff.next_delay(busy_until))
            body = read()
            self.alongside_fresh = False
        if action and not busy(body):
            self.history.observe(name, action, at_most=self._clock() - start, at_least=busy_until)
        if busy(body):
            self._stuck(name, qualifier, body)
        if body is not None and (action or busy_until is not None):  # only a real wait for a real function
            self._report(name, start)
        return body

    def _stuck(self, name: str, qualifier: str, body: Any) -> None:
        if body is not None and body.get("Status") in BUSY:
            msg = (
                f"function {name} ({qualifier}) is still {body.get('Status')} after "
                f"{self._backoff.timeout:.0f}s; try again later"
            )
            raise FunctionStateError(msg)
        msg = f"function {name} still exists {self._backoff.timeout:.0f}s after DeleteFunction"
        raise FunctionStateError(msg)

    def until_active(self, name: str, qualifier: str = "$LATEST", alongside: tuple[Read, ...] = ()) -> dict[str, Any]:
        """Poll until ``Active`` (a failed state raises with the cloud's reason); ``alongside``: see :meth:`_poll`."""
        read = lambda: self._api.get_function(name, qualifier)  # noqa: E731
        body: dict[str, Any] | None = self._poll(name, read, _busy, qualifier, alongside)
        if body is None:
            msg = f"function {name} disappeared while waiting for it to become Active"
            raise FunctionStateError(msg)
        status = str(body.get("Status"))
        if status != "Active":
            if qualifier != "$LATEST" and not body.get("StatusReasons"):
                # A version that failed to publish may carry no reason of its own: $LATEST's transition has it.
                latest = self._api.get_function(name) or {}
                body = {**body, "StatusReasons": latest.get("StatusReasons") or []}
            raise FunctionStateError(failure_message(name, qualifier, body))
        return body

    def until_gone(self, name: str) -> None:
        self._poll(name, lambda: self._api.get_function(name), lambda body: body is not None)

    def _report(self, name: str, start: float) -> None:
        if self._on_wait is not None:
            self._on_wait(name, self._clock() - start)


def _captured(read: Read) -> Read:
    """``read`` returning its exception instead of raising it, so one failed extra read does not stop the poll."""

    def run() -> Any:
        try:
            return read()
        except Exception as exc:  # handed back as a value: the executor raises it or reads again
            return exc

    return run


def _busy(body: dict[str, Any] | None) -> bool:
    return body is not None and body.get("Status") in BUSY


def failure_message(name: str, qualifier: str, body: dict[str, Any]) -> str:
    status = str(body.get("Status"))
    reasons = body.get("StatusReasons") or []
    detail = "; ".join(f"{r.get('ErrorCode', '')}: {r.get('ErrorMessage', '')}".strip(": ") for r in reasons)
    detail = detail or str(body.get("StatusDesc") or "no reason given by the cloud")
    where = name if qualifier == "$LATEST" else f"{name} version {qualifier}"
    return f"function {where} is {status}: {detail}"
