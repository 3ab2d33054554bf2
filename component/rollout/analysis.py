"""Pure rollout logic: metrics in, verdict out; verdict in, next move out.

Nothing here sleeps, reads the cloud or writes: :func:`analyze` turns the figures of the candidate
and the stable version into a :class:`Verdict` against the thresholds, and :func:`decide` turns a
verdict into a :class:`Move` and the next :class:`RolloutState`. Both are table-tested directly.

Low traffic is the common failure of canary analysis: with fewer than ``minInvocations`` calls on
the candidate the check is *inconclusive*; the runner waits another interval, and only after more
than ``inconclusiveLimit`` such checks does the rollout pause (never roll back) for a human to decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from component.rollout.model import Analysis, RolloutSpec
from component.rollout.state import PAUSED, PROGRESSING, PROMOTED, ROLLED_BACK, Figures, RolloutState


@dataclass(frozen=True)
class VersionFigures:
    """One version over the window: Invocation and Error sums, Duration averaged by invocations."""

    version: str
    invocations: float = 0.0
    errors: float = 0.0
    duration: float | None = None  # ms, average

    @property
    def error_rate(self) -> float:
        return self.errors / self.invocations if self.invocations else 0.0

    def describe(self) -> str:
        text = f"version {self.version}: {self.error_rate:.1%} errors ({self.errors:g}/{self.invocations:g})"
        return text if self.duration is None else f"{text}, {self.duration:.0f} ms avg"


class Outcome(Enum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str


def analyze(analysis: Analysis, candidate: VersionFigures, stable: VersionFigures) -> Verdict:
    """Judge the candidate against the thresholds; the stable version is context for the reason."""
    if candidate.invocations < analysis.min_invocations:
        return Verdict(
            Outcome.INCONCLUSIVE,
            f"only {candidate.invocations:g} invocations of version {candidate.version} "
            f"(minInvocations {analysis.min_invocations})",
        )
    crossed: list[str] = []
    if candidate.error_rate > analysis.max_error_rate:
        crossed.append(
            f"error rate {candidate.error_rate:.1%} ({candidate.errors:g}/{candidate.invocations:g}) "
            f"> maxErrorRate {analysis.max_error_rate:.1%}"
        )
    slow = analysis.max_duration is not None and (candidate.duration or 0.0) > analysis.max_duration
    if slow and candidate.duration is not None:
        crossed.append(f"average duration {candidate.duration:.0f} ms > maxDuration {analysis.max_duration:g} ms")
    if crossed:
        return Verdict(Outcome.FAIL, f"version {candidate.version}: {'; '.join(crossed)} (stable {stable.describe()})")
    return Verdict(Outcome.PASS, f"{candidate.describe()}; stable {stable.describe()}")


class Move(Enum):
    WAIT = "wait"  # observe the same step for another interval
    ADVANCE = "advance"  # next step's weight
    PROMOTE = "promote"  # all traffic to the candidate
    ROLL_BACK = "rollback"  # all traffic back to the stable version
    PAUSE = "pause"  # hold the current weight for a human (scf resume / promote --full / abort)


def decide(
    spec: RolloutSpec,
    state: RolloutState,
    verdict: Verdict,
    candidate: VersionFigures,
    stable: VersionFigures,
    now: float,
) -> tuple[Move, RolloutState]:
    """The move after one check of the current step, and the state to record with it."""
    figures = Figures(int(candidate.invocations), int(candidate.errors), int(stable.invocations), int(stable.errors))
    return _DECISIONS[verdict.outcome](spec, replace(state, figures=figures), verdict, now)


def _passed(spec: RolloutSpec, state: RolloutState, verdict: Verdict, now: float) -> tuple[Move, RolloutState]:
    if state.step + 1 < len(state.steps):
        return Move.ADVANCE, replace(state, step=state.step + 1, started=now, failures=0, inconclusive=0, reason="")
    return Move.PROMOTE, replace(state, phase=PROMOTED, reason=f"all steps passed: {verdict.reason}")


def _inconclusive(spec: RolloutSpec, state: RolloutState, verdict: Verdict, now: float) -> tuple[Move, RolloutState]:
    seen = state.inconclusive + 1
    if seen > spec.analysis.inconclusive_limit:
        reason = f"paused at step {state.step + 1}: {verdict.reason} after {seen} checks"
        return Move.PAUSE, replace(state, phase=PAUSED, inconclusive=seen, reason=reason)
    return Move.WAIT, replace(state, inconclusive=seen, reason=verdict.reason)


def _failed(spec: RolloutSpec, state: RolloutState, verdict: Verdict, now: float) -> tuple[Move, RolloutState]:
    failed = state.failures + 1
    if failed < spec.analysis.failure_limit:
        return Move.WAIT, replace(state, failures=failed, reason=verdict.reason)
    if spec.auto_rollback:
        return Move.ROLL_BACK, replace(state, phase=ROLLED_BACK, failures=failed, reason=verdict.reason)
    reason = f"{verdict.reason}; autoRollback is off: run scf abort or scf promote --full"
    return Move.PAUSE, replace(state, phase=PAUSED, failures=failed, reason=reason)


_Decision = Callable[[RolloutSpec, RolloutState, Verdict, float], tuple[Move, RolloutState]]
_DECISIONS: dict[Outcome, _Decision] = {
    Outcome.PASS: _passed,
    Outcome.INCONCLUSIVE: _inconclusive,
    Outcome.FAIL: _failed,
}


def resumed(state: RolloutState, now: float) -> RolloutState:
    """The state ``scf resume`` continues from: same step, fresh counters; a pause restarts the window."""
    started = state.started if state.phase == PROGRESSING else now
    return replace(state, phase=PROGRESSING, started=started, failures=0, inconclusive=0, reason="")
