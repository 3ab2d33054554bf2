"""The pure parts of a rollout, table-driven: inputs, analysis, decisions, state record, Monitor parsing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from component.cloud.api import AliasInfo, VersionWeight
from component.deploy.release_record import ReleaseRecord, parse_record
from component.errors import ConfigError
from component.rollout.analysis import Move, Outcome, VersionFigures, analyze, decide, resumed
from component.rollout.metrics import figures_from, query, series_by_version
from component.rollout.model import Analysis, RolloutSpec, Step, parse_duration, rollout_spec
from component.rollout.state import RolloutState, alias_for, from_record, state_of

SPEC = RolloutSpec(steps=(Step(0.1, 60), Step(0.5, 60), Step(1.0, 120)), analysis=Analysis(min_invocations=5))
STATE = RolloutState("Progressing", "3", "2", (0.1, 0.5, 1.0), step=0, started=100.0)


def figs(version: str, invocations: float, errors: float = 0, duration: float | None = None) -> VersionFigures:
    return VersionFigures(version, invocations, errors, duration)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, 60.0), (30, 30.0), (1.5, 1.5), ("500ms", 0.5), ("30s", 30.0), ("5m", 300.0), ("1h", 3600.0)],
)
def test_durations(value: Any, seconds: float) -> None:
    assert parse_duration(value, 60.0) == seconds


def test_steps_as_numbers_or_objects_with_their_own_pause() -> None:
    spec = rollout_spec({"aliasName": "live", "rollout": {"steps": [0.1, {"traffic": 0.5, "pause": "5m"}, 1]}})
    assert spec is not None
    assert spec.steps == (Step(0.1, 60.0), Step(0.5, 300.0), Step(1.0, 60.0))
    assert spec.analysis == Analysis() and spec.auto_rollback


@pytest.mark.parametrize(
    "inputs", [{"rollout": {"steps": [0.5]}}, {"aliasName": "$DEFAULT", "rollout": {"steps": [1]}}]
)
def test_rollout_needs_a_named_alias(inputs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as caught:
        rollout_spec(inputs)
    problem = caught.value.problems[0]
    assert problem.path == "inputs.rollout" and "aliasName" in problem.hint


@pytest.mark.parametrize(
    ("analysis", "candidate", "outcome", "words"),
    [
        (Analysis(min_invocations=5), figs("3", 4), Outcome.INCONCLUSIVE, "only 4 invocations of version 3"),
        (Analysis(min_invocations=5), figs("3", 5), Outcome.PASS, "version 3: 0.0% errors (0/5)"),
        (Analysis(), figs("3", 0), Outcome.PASS, "0.0% errors (0/0)"),
        (Analysis(max_error_rate=0.1), figs("3", 10, 1), Outcome.PASS, "10.0% errors (1/10)"),
        (Analysis(max_error_rate=0.1), figs("3", 10, 2), Outcome.FAIL, "error rate 20.0% (2/10) > maxErrorRate 10.0%"),
        (
            Analysis(max_duration=100),
            figs("3", 10, 0, 150.0),
            Outcome.FAIL,
            "average duration 150 ms > maxDuration 100",
        ),
        (Analysis(max_duration=100), figs("3", 10, 0, 90.0), Outcome.PASS, "90 ms avg"),
        (Analysis(max_duration=100), figs("3", 10), Outcome.PASS, "0.0% errors"),
    ],
)
def test_analysis(analysis: Analysis, candidate: VersionFigures, outcome: Outcome, words: str) -> None:
    verdict = analyze(analysis, candidate, figs("2", 90))
    assert verdict.outcome is outcome
    assert words in verdict.reason


def test_a_failure_reason_names_the_stable_figures_too() -> None:
    verdict = analyze(Analysis(), figs("3", 10, 5), figs("2", 90, 1))
    assert verdict.reason.endswith("(stable version 2: 1.1% errors (1/90))")


@pytest.mark.parametrize(
    ("spec", "state", "candidate", "move", "expect"),
    [
        (SPEC, STATE, figs("3", 9), Move.ADVANCE, {"step": 1, "started": 500.0, "phase": "Progressing"}),
        (SPEC, replace(STATE, step=2), figs("3", 9), Move.PROMOTE, {"phase": "Promoted", "step": 2}),
        (SPEC, STATE, figs("3", 1), Move.WAIT, {"inconclusive": 1, "phase": "Progressing"}),
        (SPEC, replace(STATE, inconclusive=3), figs("3", 1), Move.PAUSE, {"inconclusive": 4, "phase": "Paused"}),
        (SPEC, STATE, figs("3", 9, 9), Move.ROLL_BACK, {"failures": 1, "phase": "RolledBack"}),
        (
            replace(SPEC, analysis=Analysis(min_invocations=5, failure_limit=2)),
            STATE,
            figs("3", 9, 9),
            Move.WAIT,
            {"failures": 1, "phase": "Progressing"},
        ),
        (replace(SPEC, auto_rollback=False), STATE, figs("3", 9, 9), Move.PAUSE, {"failures": 1, "phase": "Paused"}),
        (SPEC, replace(STATE, failures=0, inconclusive=2), figs("3", 9), Move.ADVANCE, {"inconclusive": 0}),
    ],
)
def test_decisions(
    spec: RolloutSpec, state: RolloutState, candidate: VersionFigures, move: Move, expect: dict[str, Any]
) -> None:
    stable = figs("2", 50, 1)
    got, nxt = decide(spec, state, analyze(spec.analysis, candidate, stable), candidate, stable, now=500.0)
    assert got is move
    assert {k: getattr(nxt, k) for k in expect} == expect
    assert nxt.figures is not None and (nxt.figures.c_invocations, nxt.figures.s_errors) == (
        int(candidate.invocations),
        1,
    )


def test_autorollback_off_says_what_to_do() -> None:
    spec = replace(SPEC, auto_rollback=False)
    candidate = figs("3", 9, 9)
    _, nxt = decide(spec, STATE, analyze(spec.analysis, candidate, figs("2", 1)), candidate, figs("2", 1), 0.0)
    assert "autoRollback is off: run scf abort or scf promote --full" in nxt.reason


@pytest.mark.parametrize(("phase", "started"), [("Paused", 900.0), ("Progressing", 100.0)])
def test_resume_keeps_the_step_and_restarts_a_paused_window(phase: str, started: float) -> None:
    state = replace(STATE, phase=phase, step=1, failures=1, inconclusive=4, reason="why")
    assert resumed(state, 900.0) == replace(
        state, phase="Progressing", started=started, failures=0, inconclusive=0, reason=""
    )


@pytest.mark.parametrize(
    ("state", "main", "weights", "promoted", "rolled_back"),
    [
        (STATE, "2", (VersionWeight("3", 0.1),), ("2",), ()),
        (replace(STATE, step=2), "3", (), ("2",), ()),
        (replace(STATE, phase="Paused", step=1), "2", (VersionWeight("3", 0.5),), ("2",), ()),
        (replace(STATE, phase="Promoted", step=2), "3", (), ("2", "3"), ()),
        (replace(STATE, phase="RolledBack", step=1), "2", (), ("2",), ("3",)),
        (replace(STATE, phase="Aborted", step=1), "2", (), ("2",), ("3",)),
    ],
)
def test_the_alias_follows_the_state(
    state: RolloutState,
    main: str,
    weights: tuple[VersionWeight, ...],
    promoted: tuple[str, ...],
    rolled_back: tuple[str, ...],
) -> None:
    alias = alias_for("live", state, ReleaseRecord(("2",), (), "Configured by scf-component"))
    assert (alias.main_version, alias.weights) == (main, weights)
    record = parse_record(alias.description)
    assert (record.promoted, record.rolled_back, record.text) == (promoted, rolled_back, "Configured by scf-component")
    assert state_of(alias) == state


def test_the_state_is_compact_and_round_trips_through_the_description() -> None:
    state = replace(STATE, step=1, failures=1, inconclusive=2, reason="x" * 500)
    alias = alias_for("live", state, ReleaseRecord(("2",), ()))
    assert len(alias.description) < 400
    back = state_of(alias)
    assert back is not None and back.reason.endswith("…") and replace(back, reason="") == replace(state, reason="")


def test_a_reason_cannot_break_the_record_marker() -> None:
    state = replace(STATE, reason="hook printed scf:{} at us")
    assert state_of(alias_for("live", state, ReleaseRecord())) == replace(state, reason="hook printed scf :{} at us")


@pytest.mark.parametrize(
    "description",
    [
        'Configured by scf-component scf:{"p":["1","2"],"rb":["3"]}',
        "hand-written description",
        'scf:{"p":["1"],"ro":{"ph":"Weird"}}',
        'scf:{"p":["1"],"ro":{"ph":"Progressing"}}',
    ],
)
def test_records_without_a_valid_rollout_stay_readable(description: str) -> None:
    assert state_of(AliasInfo("live", "1", description=description)) is None
    assert from_record(parse_record(description).rollout) is None


def test_a_record_written_before_rollouts_keeps_its_exact_text() -> None:
    old = 'Configured by scf-component scf:{"p":["1","2"],"rb":["3"]}'
    assert parse_record(old).describe() == old
    assert parse_record(old).promote("4").rollout is None


def test_monitor_request_has_both_versions_as_instances() -> None:
    body = query("fn", "default", "Error", ["3", "2"], 1_767_225_600, 1_767_225_720)
    assert body["Namespace"] == "QCE/SCF_V2" and body["Period"] == 60 and body["MetricName"] == "Error"
    assert [i["Dimensions"][2] for i in body["Instances"]] == [
        {"Name": "version", "Value": "3"},
        {"Name": "version", "Value": "2"},
    ]
    assert (body["StartTime"], body["EndTime"]) == ("2026-01-01T08:00:00+08:00", "2026-01-01T08:02:00+08:00")


def test_figures_sum_counts_and_weight_duration_by_invocations_missing_points_are_zero() -> None:
    def reply(values: dict[str, dict[float, float]]) -> dict[str, Any]:
        points = [
            {
                "Dimensions": [{"Name": "version", "Value": v}, {"Name": "functionName", "Value": "fn"}],
                "Timestamps": list(series),
                "Values": list(series.values()),
            }
            for v, series in values.items()
        ]
        return {"DataPoints": points}

    data = {
        "Invocation": series_by_version(reply({"3": {60: 10, 120: 30}, "2": {}})),
        "Error": series_by_version(reply({"3": {120: 3}})),
        "Duration": series_by_version(reply({"3": {60: 100.0, 120: 200.0}})),
    }
    assert figures_from("3", data) == VersionFigures("3", 40, 3, 175.0)
    assert figures_from("2", data) == VersionFigures("2", 0, 0, None)
