"""#16 item 2: only calls made since a step began count, at Monitor's one-minute resolution.

Monitor sums whole minutes, so the minute a step starts in also holds calls made before it. The
window is the complete minutes that began at or after the step start and ended ``lag`` seconds ago;
a check waits until the first of them is readable; ``scf status`` says which minutes it shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from component.deploy.release_record import parse_record
from component.rollout.metrics import REAL_MONITOR_LAG, measurable_at, monitor_lag, short_pause_warning, window
from tests.rollout.cloud import WALL_BASE, RolloutCloud, events
from tests.rollout.test_rollout_e2e import RAISES, deploy, first_release

M = WALL_BASE  # a whole minute


@pytest.mark.parametrize(
    ("started", "now", "lag", "expected"),
    [
        (M, M + 1, 0, None),  # one second into the step: nothing complete yet
        (M, M + 59, 0, None),
        (M, M + 60, 0, None),  # even a start on the boundary may be late by a fraction of a second
        (M, M + 120, 0, (M + 60, M + 60)),
        (M + 1, M + 60, 0, None),  # began a second late: minute M also holds earlier calls
        (M + 1, M + 119, 0, None),
        (M + 1, M + 120, 0, (M + 60, M + 60)),
        (M + 30, M + 300, 0, (M + 60, M + 240)),
        (M + 30, M + 179, 60, None),  # with a reporting lag the minute must also be lag seconds old
        (M + 30, M + 180, 60, (M + 60, M + 60)),
    ],
)
def test_the_window_holds_only_complete_minutes_since_the_step_began(
    started: float, now: float, lag: float, expected: tuple[float, float] | None
) -> None:
    assert window(started, now, lag) == expected


@pytest.mark.parametrize(
    ("started", "lag", "ready"),
    [(M, 0, M + 120), (M + 1, 0, M + 120), (M + 59, 0, M + 120), (M + 1, REAL_MONITOR_LAG, M + 120 + REAL_MONITOR_LAG)],
)
def test_a_check_is_possible_once_the_first_complete_minute_is_readable(
    started: float, lag: float, ready: float
) -> None:
    assert measurable_at(started, lag) == ready
    assert window(started, ready, lag) is not None and window(started, ready - 1, lag) is None


@pytest.mark.parametrize(
    ("endpoint", "pauses", "warned"),
    [
        ("127.0.0.1:9000", [60, 300], None),
        ("127.0.0.1:9000", [10, 60], "rollout pause 10s is shorter than Cloud Monitor can measure"),
        (None, [60, 300], "rollout pause 60s is shorter than Cloud Monitor can measure"),
        (None, [300], None),
    ],
)
def test_pauses_shorter_than_measurable_are_warned(
    endpoint: str | None, pauses: list[float], warned: str | None
) -> None:
    warning = short_pause_warning(pauses, monitor_lag(endpoint))
    assert (warning if warning is None else warning.split(":")[0]) == warned
    if warning:
        assert "each check waits for the first complete minute after its step began" in warning


def test_a_rerun_in_the_same_minute_does_not_count_the_previous_runs_errors(rcloud: RolloutCloud, canary: Path) -> None:
    """The issue's case: version 2 rolled back on its errors; re-run at once with no new traffic, the new
    rollout's first check must see zero calls (inconclusive), not the previous run's errors."""
    first_release(rcloud, canary, RAISES)
    rcloud.per_minute = 12
    assert deploy(rcloud, canary).exit_code == 4  # type: ignore[attr-defined]
    rcloud.per_minute = 0
    again = deploy(rcloud, canary)
    checks = events(again, "rollout.check")  # type: ignore[arg-type]
    assert [(c["verdict"], c["candidate"]["errors"]) for c in checks] == [("inconclusive", 0.0)] * 3
    assert rcloud.rollout()["ph"] == "Paused"


def test_status_one_second_into_a_step_shows_no_earlier_calls(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    for _ in range(7):  # version 1 serves these, in the minute the step will start in
        rcloud.invoke()
    seen: dict[str, object] = {}

    def second_process(_: int) -> None:
        started = parse_record(rcloud.alias().description).rollout is not None  # the deploy's waits sleep too
        if started and "human" not in seen:
            seen["json"] = rcloud.scf("status", "--target", str(canary), "--json").json()
            seen["human"] = rcloud.scf("status", "--target", str(canary)).stdout

    rcloud.on_sleep.append(second_process)
    deploy(rcloud, canary)
    document = seen["json"]
    assert document["figures"]["stable"]["invocations"] == 0  # type: ignore[index]
    assert document["window"]["from"] is None  # type: ignore[index]
    assert "no complete Monitor minute since then yet" in str(seen["human"])


def test_checks_count_each_steps_own_minutes(rcloud: RolloutCloud, canary: Path) -> None:
    """Every call the alias served is counted by exactly one check at most: no minute is counted twice."""
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    run = deploy(rcloud, canary)
    assert run.exit_code == 0, run.stderr  # type: ignore[attr-defined]
    checks = events(run, "rollout.check")  # type: ignore[arg-type]
    counted = sum(c["candidate"]["invocations"] + c["stable"]["invocations"] for c in checks)
    assert 0 < counted <= sum(rcloud.served.values())
    assert all(c["candidate"]["invocations"] >= 2 for c in checks)


@pytest.mark.parametrize(("pause", "every"), [(10, 2.0), (60, 6.0), (300, 30.0), (3600, 30.0)])
def test_status_watch_polls_at_a_rate_that_matches_the_pause(pause: float, every: float) -> None:
    from component.rollout.commands import watch_interval

    assert watch_interval(pause) == every
