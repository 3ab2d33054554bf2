"""The pieces of a multi-instance run on their own: the rate limiter, the graph, reference parsing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from component.config.variables import OutputReference, parse_output_reference
from component.multi.discover import discover
from component.multi.graph import build_graph
from component.multi.ratelimit import LimitedTransport, RateLimiter
from tests.conftest import FIXTURES, FakeClock


@pytest.mark.parametrize(
    ("calls", "window", "requests", "threads"), [(20, 1.1, 100, 1), (20, 1.0, 90, 6), (3, 0.5, 20, 3)]
)
def test_rate_limiter_never_lets_more_than_calls_into_a_window(
    calls: int, window: float, requests: int, threads: int
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock.now, sleep=clock.sleep, calls=calls, window=window)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for _ in range(n):
            slot = limiter.acquire("GetFunction")
            with lock:
                stamps.append(clock.now())
            limiter.done(slot)  # answered at once

    pool = [threading.Thread(target=worker, args=(requests // threads,)) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    stamps.sort()
    assert len(stamps) == requests // threads * threads
    assert max(sum(1 for t in stamps if s <= t < s + window) for s in stamps) <= calls


def test_rate_limiter_counts_each_action_separately() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock.now, sleep=clock.sleep, calls=2, window=1.0)
    for action in ("GetFunction", "GetFunction", "CreateFunction", "CreateFunction"):
        limiter.done(limiter.acquire(action))
    assert clock.slept == 0
    limiter.acquire("GetFunction")
    assert clock.slept == pytest.approx(1.0)


def test_a_call_in_flight_longer_than_the_window_keeps_its_slot() -> None:
    """The cloud counts a call when it arrives, which may be long after the send (a queue, a slow link):
    its slot is free only a window after its answer, never while it is in flight."""
    clock = FakeClock()
    limiter = RateLimiter(clock=clock.now, sleep=clock.sleep, calls=2, window=1.0)
    slow = limiter.acquire("GetFunction")  # sent at 0, answered at 2.5
    limiter.done(limiter.acquire("GetFunction"))  # sent and answered at 0
    clock.sleep(2.0)
    limiter.acquire("GetFunction")  # the quick call's slot is free again (answered at 0)
    sent_at = clock.now()
    clock.sleep(0.5)
    limiter.done(slow)
    limiter.acquire("GetFunction")  # waits for the slow one: a window after its answer
    assert sent_at == pytest.approx(1002.0) and clock.now() == pytest.approx(1003.5)


class _SlowCloud:
    """Answers every call after *latency* seconds of the fake clock, noting when each call was sent."""

    def __init__(self, clock: FakeClock, latency: float) -> None:
        self.clock, self.latency, self.sent = clock, latency, []  # type: list[float]

    def call(self, service: str, action: str, params: dict[str, object]) -> dict[str, object]:
        self.sent.append(self.clock.now() - 1000.0)
        self.clock.sleep(self.latency)
        return {}


@pytest.mark.parametrize(
    ("latency", "sent"),
    [
        (0.0, [0.0, 0.0, 1.0, 1.0]),
        (0.3, [0.0, 0.3, 1.3, 1.6]),  # a slot is free one window after the answer: the cloud counted it by then
    ],
)
def test_a_call_holds_its_slot_until_a_window_after_its_answer(latency: float, sent: list[float]) -> None:
    clock = FakeClock()
    cloud = _SlowCloud(clock, latency)
    transport = LimitedTransport(cloud, RateLimiter(clock=clock.now, sleep=clock.sleep, calls=2, window=1.0))
    for _ in sent:
        transport.call("scf", "GetFunction", {})
    assert cloud.sent == pytest.approx(sent)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("output:dev:demo:api.functionName", OutputReference("dev", "demo", "api", "functionName")),
        ("output:api.functionName", OutputReference(None, None, "api", "functionName")),
        ("output: api.code.sha256 ", OutputReference(None, None, "api", "code.sha256")),
        ("output:api", None),
        ("output:dev:api.functionName", None),
    ],
)
def test_output_references_parse_in_both_forms(expr: str, expected: OutputReference | None) -> None:
    assert parse_output_reference(expr) == expected


@pytest.mark.parametrize(
    ("reverse", "order"),
    [(False, ("base", "api", "solo", "web")), (True, ("solo", "web", "api", "base"))],
)
def test_graph_order_forward_for_deploy_and_backward_for_remove(reverse: bool, order: tuple[str, ...]) -> None:
    graph = build_graph(discover(FIXTURES / "multi-chain"), "dev")
    assert dict(graph.needs) == {"api": ("base",), "base": (), "solo": (), "web": ("api",)}
    assert (graph.reversed() if reverse else graph).order() == order


def test_a_folder_with_its_own_serverless_yml_is_not_a_root(tmp_path: Path) -> None:
    from component.multi import is_multi_root

    assert is_multi_root(FIXTURES / "multi-chain")
    assert not is_multi_root(FIXTURES / "01-event-basic")
    assert not is_multi_root(tmp_path)
