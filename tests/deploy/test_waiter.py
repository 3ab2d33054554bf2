"""When the waiter polls: the first poll at the learned end of the transition, then back-off.

Driven against the emulator through the official SDK with a fake clock shared by the emulator's status
machine and the waiter, so a 2 s ``Updating`` takes no real time and the count of ``GetFunction`` calls
is the emulator's own request log.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from component.cloud.api import ScfApi
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.deploy.transitions import MAX_ENTRIES, PRIOR, SHRINK, TransitionHistory, history_path
from component.deploy.waiter import Waiter
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from tests.conftest import FakeClock

FUNCTION = "waited"


def _zip() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def main_handler(event, context):\n    return 1\n")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


class Bench:
    def __init__(self, server: EmulatorServer, clock: FakeClock) -> None:
        self.server, self.clock = server, clock
        credentials = Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
        transport = SdkTransport(credentials, "ap-guangzhou", endpoint=server.endpoint, sleep=clock.sleep)
        self.api = ScfApi(transport)

    def waiter(self, history: TransitionHistory) -> Waiter:
        return Waiter(self.api, sleep=self.clock.sleep, clock=self.clock.now, history=history)

    def update(self, waiter: Waiter, delay: float) -> tuple[int, float]:
        """One code update taking ``delay`` seconds; the GetFunction polls it cost and the time waited."""
        self.server.backend.config.status_delay = delay
        self.api.update_code(FUNCTION, {"ZipFile": _zip()})
        waiter.written(FUNCTION, "UpdateFunctionCode")
        before, start = self.polls(), self.clock.now()
        waiter.until_active(FUNCTION)
        return self.polls() - before, self.clock.now() - start

    def polls(self) -> int:
        return sum(1 for entry in self.server.request_log() if entry["action"] == "GetFunction")


@pytest.fixture
def bench() -> Iterator[Bench]:
    clock = FakeClock()
    with EmulatorServer(EmulatorConfig(clock=clock.now, seed=1)) as server:
        api = Bench(server, clock).api
        params = {"FunctionName": FUNCTION, "Runtime": "Python3.9", "Handler": "index.main_handler"}
        api.create_function({**params, "Code": {"ZipFile": _zip()}})
        yield Bench(server, clock)


@pytest.mark.parametrize(
    ("learned", "actual", "polls", "longest_wait"),
    [
        (None, 0.0, 1, 0.2),  # nothing learned: the first poll after the 200 ms prior
        (None, 1.0, 12, 1.15 * 1.0),  # nothing learned: then back-off from the write, ≤ 15 % late
        (1.0, 1.0, 1, 1.0),  # learned right: one poll, at the end
        (1.2, 1.0, 1, 1.2),  # learned long: one poll, late by the error
        (0.5, 1.0, 6, 1.15 * 1.0),  # learned short: back-off after the first poll, ≤ 15 % late
        (5.0, 4.0, 1, 5.0),
    ],
)
def test_first_poll_lands_at_the_learned_end_of_the_transition(
    bench: Bench, learned: float | None, actual: float, polls: int, longest_wait: float
) -> None:
    history = TransitionHistory()
    if learned is not None:
        history.estimates[f"{FUNCTION}|UpdateFunctionCode"] = learned
    made, waited = bench.update(bench.waiter(history), actual)
    assert made == polls
    assert actual <= waited <= longest_wait + 1e-9


def test_a_read_that_follows_no_write_polls_at_once(bench: Bench) -> None:
    history = TransitionHistory({f"{FUNCTION}|UpdateFunctionCode": 5.0})
    start = bench.clock.now()
    bench.waiter(history).until_active(FUNCTION)
    assert bench.clock.now() == start


def test_a_steady_transition_costs_one_poll_in_most_waits(bench: Bench) -> None:
    waiter = bench.waiter(TransitionHistory())
    costs = [bench.update(waiter, 2.0) for _ in range(12)]
    later = [polls for polls, _ in costs[1:]]
    assert sorted(later)[len(later) // 2] == 1  # the median wait after the first is one poll
    assert all(waited <= 2.0 * 1.15 + 1e-9 for _, waited in costs)


@pytest.mark.parametrize(
    ("known", "at_least", "at_most", "learned"),
    [
        (None, None, 1.3, PRIOR * SHRINK),  # first observation, a hit: down from the poll's expectation (the prior)
        (2.0, None, 2.0, 2.0 * SHRINK),  # a hit: probe a little earlier next time
        (1.0, 1.0, 1.6, 1.3),  # a miss: the middle of the bracket seen
        (None, None, 0.0, 0.05),  # never below the floor
    ],
)
def test_history_update_rule(known: float | None, at_least: float | None, at_most: float, learned: float) -> None:
    history = TransitionHistory({} if known is None else {"f|UpdateFunctionCode": known})
    history.observe("f", "UpdateFunctionCode", at_most=at_most, at_least=at_least)
    assert history.expect("f", "UpdateFunctionCode") == pytest.approx(learned)
    assert history.expect("f", "PublishVersion") == pytest.approx(learned)  # this function, another action
    assert history.expect("g", "UpdateFunctionCode") == pytest.approx(learned)  # this action, another function


@pytest.mark.parametrize(
    ("function", "action", "first_poll"),
    [
        ("a", "UpdateFunctionCode", 4.0),  # its own estimate
        ("new", "UpdateFunctionCode", 0.7),  # the shortest of the same action on other functions
        ("a", "CreateFunction", 3.0),  # the shortest of this function's other actions
        ("new", "CreateFunction", PRIOR),  # nothing related: the prior
    ],
)
def test_first_poll_without_an_own_estimate(function: str, action: str, first_poll: float) -> None:
    history = TransitionHistory({"a|UpdateFunctionCode": 4.0, "b|UpdateFunctionCode": 0.7, "a|PublishVersion": 3.0})
    assert history.expect(function, action) == first_poll


def test_history_file_round_trip_is_bounded_and_tolerant(tmp_path: Path) -> None:
    history = TransitionHistory()
    for index in range(MAX_ENTRIES + 50):
        seconds = 0.5 + index / 10
        history.observe(f"fn{index}", "CreateFunction", at_most=seconds, at_least=seconds)
    path = history_path(tmp_path / ".serverless")
    assert history.save(path)
    loaded = TransitionHistory.load(path)
    assert len(loaded.estimates) == MAX_ENTRIES
    assert loaded.expect(f"fn{MAX_ENTRIES + 49}", "CreateFunction") == pytest.approx(0.5 + (MAX_ENTRIES + 49) / 10)
    assert loaded.expect("fn0", "CreateFunction") == pytest.approx(5.5)  # forgotten: the shortest remembered answers
    path.write_text('{"a|B": "x", "c|D": -1, "e|F": 1e999, "g|H": 2}')
    assert TransitionHistory.load(path).estimates == {"g|H": 2.0}
    path.write_text("not json")
    assert TransitionHistory.load(path).estimates == {}
    (tmp_path / "file").touch()
    assert not TransitionHistory().save(tmp_path / "file" / "x.json")  # .serverless is a file: only a hint lost


@pytest.mark.parametrize(("refused_at", "estimate"), [(None, SHRINK * 0.3), (0.25, (0.25 + 0.3) / 2)])
def test_a_write_refused_as_busy_is_a_lower_bound_for_the_history(
    bench: Bench, refused_at: float | None, estimate: float
) -> None:
    """A publication sent at the expected end and refused (still busy) brackets the transition like a busy poll
    would: the estimate moves into the bracket instead of shrinking as after a first-poll hit."""
    history = TransitionHistory({f"{FUNCTION}|UpdateFunctionCode": 0.3})
    waiter = bench.waiter(history)
    bench.server.backend.config.status_delay = 0.0
    bench.api.update_code(FUNCTION, {"ZipFile": _zip()})
    waiter.written(FUNCTION, "UpdateFunctionCode")
    if refused_at is not None:
        bench.clock.sleep(refused_at)
        waiter.refused(FUNCTION)
    waiter.until_active(FUNCTION)  # the first poll, at 0.3 s, sees it Active
    assert history.estimates[f"{FUNCTION}|UpdateFunctionCode"] == pytest.approx(estimate)


def test_first_poll_hits_on_new_projects_do_not_drift_upwards(tmp_path: Path) -> None:
    """Each new project's first poll goes out at the shared expectation and sees the transition over one round
    trip later: learning that bound itself made every next project wait one round trip more."""
    shared = tmp_path / "shared.json"
    seed = TransitionHistory()
    seed.share(shared, "endpoint")
    seed.observe("fn0", "CreateFunction", at_least=0.3, at_most=0.3)
    assert seed.save(tmp_path / "p0" / "transitions.json")
    expectations = []
    for index in range(1, 11):  # ten new projects, one after the other
        history = TransitionHistory()
        history.share(shared, "endpoint")
        expected = history.expect(f"fn{index}", "CreateFunction")
        expectations.append(expected)
        history.observe(f"fn{index}", "CreateFunction", at_most=expected + 0.03, at_least=None)  # a hit
        assert history.save(tmp_path / f"p{index}" / "transitions.json")
    assert expectations[0] == pytest.approx(0.3)
    assert max(expectations) <= 0.3
