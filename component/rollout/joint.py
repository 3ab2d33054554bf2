"""One rollout over several functions: the same steps, one verdict, one rollback of all of them.

A multi-instance deploy where more than one instance declares a ``rollout`` releases them as one:
each instance's deploy stops after writing step 1 (``deploy_with_rollout(walk=False)``), then the
:class:`JointRollout` here walks the steps for all of them together. Per check it waits the step's
pause once, reads Monitor for every function (``read_figures``: one GetMonitorData per metric per
function), judges each function against its own thresholds with the pure :func:`analyze`, and folds
the per-function verdicts into one with :func:`joint_verdict`: any breach fails the release, any
function short of traffic makes it inconclusive. :func:`decide` then moves every function the same
way, so every alias carries its own figures and the joint reason in its own record.

Why the *release policy* (steps with their pauses, ``autoRollback``, ``failureLimit``,
``inconclusiveLimit``) must be identical across instances while thresholds stay per instance:
one walk can only have one set of weights and one patience, but an error-rate or duration limit is
a property of each function. :func:`policy_mismatches` reports differences before any cloud call.

Every alias write still goes through each instance's :class:`RolloutRunner` (one PutAlias through
the executor, state and weight together), so ``scf status`` keeps working per instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from component.cloud.api import AliasInfo
from component.errors import RolloutFailed, RolloutPaused
from component.rollout.analysis import Move, Outcome, Verdict, VersionFigures, analyze, decide
from component.rollout.metrics import read_figures
from component.rollout.model import RolloutSpec
from component.rollout.runner import RolloutRunner, Target, finish_with, still_ours, wait_for_check
from component.rollout.state import (
    ABORTED,
    PAUSED,
    PROGRESSING,
    PROMOTED,
    ROLLED_BACK,
    RolloutState,
    state_of,
)
from component.rollout.view import RolloutView, figures_json, state_json, step_label
from component.tools import Tools


@dataclass(frozen=True)
class Member:
    """One instance taking part: where its alias is, its rollout, and its own runner and view."""

    instance: str
    target: Target
    spec: RolloutSpec
    runner: RolloutRunner
    view: RolloutView

    @property
    def label(self) -> str:
        return f"instance {self.instance} (function {self.target.function})"


@dataclass(frozen=True)
class Judged:
    """One function's figures and verdict in a joint check."""

    label: str
    candidate: VersionFigures
    stable: VersionFigures
    verdict: Verdict


# -- pure parts --------------------------------------------------------------------------------


def policy(spec: RolloutSpec) -> tuple[Any, ...]:
    """What one walk over several functions must share."""
    a = spec.analysis
    return (spec.steps, spec.auto_rollback, a.failure_limit, a.inconclusive_limit)


def describe_policy(spec: RolloutSpec) -> str:
    steps = ", ".join(f"{s.traffic:g} for {s.pause:g}s" for s in spec.steps)
    a = spec.analysis
    return (
        f"steps [{steps}], autoRollback {str(spec.auto_rollback).lower()}, "
        f"failureLimit {a.failure_limit}, inconclusiveLimit {a.inconclusive_limit}"
    )


def policy_mismatches(specs: Sequence[tuple[str, RolloutSpec]]) -> list[tuple[str, str]]:
    """``(instance, message)`` for every instance whose release policy differs from the first one's."""
    if not specs:
        return []
    lead_name, lead = specs[0]
    return [
        (
            name,
            f"a joint rollout needs the same steps and policy in every instance: {describe_policy(spec)} "
            f"differs from instance {lead_name}'s {describe_policy(lead)}",
        )
        for name, spec in specs[1:]
        if policy(spec) != policy(lead)
    ]


def joint_verdict(judged: Sequence[Judged]) -> Verdict:
    """Any breach fails the release; else any function short of traffic makes it inconclusive."""
    for outcome in (Outcome.FAIL, Outcome.INCONCLUSIVE):
        hit = [j for j in judged if j.verdict.outcome is outcome]
        if hit:
            return Verdict(outcome, "; ".join(f"{j.label}: {j.verdict.reason}" for j in hit))
    return Verdict(Outcome.PASS, "; ".join(f"{j.label}: {j.verdict.reason}" for j in judged))


def aligned(states: Sequence[RolloutState], now: float) -> list[RolloutState]:
    """States that walk in step: unchanged when they agree, else all at the lowest step, fresh counters."""
    keys = {(s.step, s.failures, s.inconclusive) for s in states}
    if len(keys) <= 1:
        return list(states)
    low = min(s.step for s in states)
    return [replace(s, step=low, started=now, failures=0, inconclusive=0, reason="") for s in states]


def overall(states: Sequence[RolloutState]) -> str:
    """The phase of the release: promoted only when every function is."""
    phases = {s.phase for s in states}
    for phase in (ROLLED_BACK, ABORTED, PAUSED, PROGRESSING):
        if phase in phases:
            return phase
    return PROMOTED


# -- the walk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JointResult:
    phase: str
    reason: str
    states: dict[str, RolloutState]  # by instance
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # each instance's outputs after the walk

    def to_json(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "reason": self.reason,
            "instances": {name: state_json(state) for name, state in self.states.items()},
        }


class JointRollout:
    def __init__(self, members: Sequence[Member], tools: Tools) -> None:
        self._members = list(members)
        self._spec = self._members[0].spec
        self._tools = tools
        self._reporter = tools.reporter

    def start(self, states: dict[str, RolloutState]) -> JointResult:
        """Walk from the states the per-instance deploys recorded (re-aligned if they disagree)."""
        names = [m.instance for m in self._members]
        self._say(
            "rollout.joint.start",
            f"joint rollout of {', '.join(names)}: {step_label(states[names[0]])}",
            instances=names,
        )
        ordered = [states[n] for n in names]
        fixed = aligned(ordered, self._tools.wall())
        if fixed != ordered:
            self._reporter.warn(f"the instances were at different steps: all continue from step {fixed[0].step + 1}")
            currents = self._read()
            for member, state in zip(self._members, fixed, strict=True):
                member.runner.write(state, currents[member.instance])
        return self.run(dict(zip(names, fixed, strict=True)))

    def run(self, states: dict[str, RolloutState]) -> JointResult:
        while all(s.phase == PROGRESSING for s in states.values()):
            lead = self._lead(states)
            pause, lag = self._spec.pause_of(lead.step), max(m.target.lag for m in self._members)
            view = RolloutView(self._reporter)  # the countdown of the walk, once for all instances
            progress = partial(view.waiting, lead, figures=None)
            wait_for_check(self._tools, pause, lead.started, lag, partial(self._changed, states), progress)
            view.waited()
            currents = self._read()
            stolen = self._stolen(states, currents)
            if stolen:
                return self._taken_over(stolen[0], states, currents)
            checked = self._check(states)
            if isinstance(checked, JointResult):
                return checked
            states = checked
        return self._end(states)

    def abort_all(self, states: dict[str, RolloutState], reason: str) -> JointResult:
        """Every function back on its stable version (one write each), ``reason`` recorded on every alias."""
        return self._end(self._finish(states, self._read(), ABORTED, reason))

    # -- one check ---------------------------------------------------------------------------
    def _check(self, states: dict[str, RolloutState]) -> dict[str, RolloutState] | JointResult:
        """One check of every function; the aliases are re-read just before the writes (Monitor reads and
        hooks take time), and a change another command made meanwhile is followed, never overwritten."""
        now = self._tools.wall()
        judged = {m.instance: self._judge(m, states[m.instance], now) for m in self._members}
        verdict = joint_verdict(list(judged.values()))
        decided = {
            m.instance: decide(
                m.spec, states[m.instance], verdict, judged[m.instance].candidate, judged[m.instance].stable, now
            )
            for m in self._members
        }
        moves = {move for move, _ in decided.values()}
        assert len(moves) == 1, moves  # same policy, same counters: the same move for every function
        move = moves.pop()
        nxt = {name: state for name, (_, state) in decided.items()}
        for m in self._members:
            j = judged[m.instance]
            m.view.check(nxt[m.instance], move, j.verdict, j.candidate, j.stable, checked=states[m.instance])
        self._say_check(states, move, verdict, judged)
        failed = self._step_hooks(move, states, nxt)
        currents = self._read()
        stolen = self._stolen(states, currents)
        if stolen:
            return self._taken_over(stolen[0], states, currents)
        if failed:
            return self._finish(nxt, currents, ABORTED, failed)
        for m in self._members:
            m.runner.write(nxt[m.instance], currents[m.instance])
            if move is Move.ADVANCE:
                m.view.step(nxt[m.instance])
        return nxt

    def _judge(self, member: Member, state: RolloutState, now: float) -> Judged:
        t = member.target
        metrics = member.spec.analysis.metrics
        candidate, stable = read_figures(
            t.api, t.function, state.candidate, state.stable, state.started, now, metrics, t.lag
        )
        return Judged(member.label, candidate, stable, analyze(member.spec.analysis, candidate, stable))

    def _step_hooks(self, move: Move, before: dict[str, RolloutState], after: dict[str, RolloutState]) -> str:
        """postStep hooks of the step just passed, then preStep of the next; the first failure, named."""
        stages: list[tuple[str, dict[str, RolloutState]]] = []
        if move in (Move.ADVANCE, Move.PROMOTE):
            stages.append(("postStep", before))
        if move is Move.ADVANCE:
            stages.append(("preStep", after))
        for stage, states in stages:
            for m in self._members:
                failed = m.runner.hooks(stage, states[m.instance])
                if failed:
                    return f"{m.label}: {failed}"
        return ""

    # -- endings -----------------------------------------------------------------------------
    def _finish(
        self, states: dict[str, RolloutState], currents: dict[str, AliasInfo | None], phase: str, reason: str
    ) -> dict[str, RolloutState]:
        final = {name: finish_with(state, phase, reason) for name, state in states.items()}
        for m in self._members:
            if m.instance in states and states[m.instance].active:
                m.runner.write(final[m.instance], currents[m.instance])
        return final

    def _taken_over(
        self, member: Member, states: dict[str, RolloutState], currents: dict[str, AliasInfo | None]
    ) -> JointResult:
        recorded = state_of(currents[member.instance])
        ours = states[member.instance]
        kind = "changed" if recorded is None or recorded.candidate != ours.candidate else recorded.phase
        follow, text = _TAKEOVER.get(kind, _TAKEOVER["changed"])
        reason = f"{member.label}: {text.format(phase=kind)}"
        if follow is None:  # another process walks it: leave every alias (and the verdict) to it
            return self._end({n: replace(s, reason=reason) for n, s in states.items()})
        others = {n: s for n, s in states.items() if n != member.instance}
        final = self._finish(others, currents, follow, reason)
        mine = recorded if recorded is not None and kind != "changed" else finish_with(ours, ABORTED, reason)
        return self._end({**final, member.instance: replace(mine, reason=mine.reason or reason)})

    def _end(self, states: dict[str, RolloutState]) -> JointResult:
        for m in self._members:
            m.view.end(states[m.instance])
        phase = overall(list(states.values()))
        reasons = [s.reason for s in states.values() if s.phase == phase and s.reason]
        result = JointResult(phase, reasons[0] if reasons else "", states)
        text = f"joint rollout {phase}" + (f": {result.reason}" if result.reason else "")
        self._say("rollout.joint.end", text, rollout=result.to_json())
        return result

    # -- helpers -----------------------------------------------------------------------------
    def _changed(self, states: dict[str, RolloutState]) -> bool:
        return bool(self._stolen(states, self._read()))

    def _stolen(self, states: dict[str, RolloutState], currents: dict[str, AliasInfo | None]) -> list[Member]:
        """Members whose alias no longer records the state this walk wrote (another command changed it)."""
        return [m for m in self._members if not still_ours(state_of(currents[m.instance]), states[m.instance])]

    def _lead(self, states: dict[str, RolloutState]) -> RolloutState:
        return states[self._members[0].instance]

    def _read(self) -> dict[str, AliasInfo | None]:
        return {m.instance: m.target.api.get_alias(m.target.function, m.target.alias) for m in self._members}

    def _say(self, kind: str, text: str, **fields: Any) -> None:
        if self._reporter.json_mode:
            self._reporter.event(kind, **fields)
            self._reporter.err.flush()
        else:
            self._reporter.step(text)

    def _say_check(
        self, states: dict[str, RolloutState], move: Move, verdict: Verdict, judged: dict[str, Judged]
    ) -> None:
        lead = self._lead(states)
        self._say(
            "rollout.joint.check",
            f"joint rollout {step_label(lead)} check -> {verdict.outcome.value}, {move.value}: {verdict.reason}",
            verdict=verdict.outcome.value,
            move=move.value,
            detail=verdict.reason,
            instances={
                name: {
                    "verdict": j.verdict.outcome.value,
                    "candidate": figures_json(j.candidate),
                    "stable": figures_json(j.stable),
                }
                for name, j in judged.items()
            },
        )


# What the other functions do when another command took one of them over: follow its phase (None:
# another process is walking the rollout, leave everything to it) and why, with the phase it found.
_TAKEOVER: dict[str, tuple[str | None, str]] = {
    "changed": (ABORTED, "the alias was changed outside this rollout"),
    ABORTED: (ABORTED, "{phase} by another command"),
    ROLLED_BACK: (ABORTED, "{phase} by another command"),
    PROMOTED: (PAUSED, "{phase} by another command: the others are paused for scf resume, promote --full or abort"),
    PAUSED: (PAUSED, "{phase} by another command"),
    PROGRESSING: (None, "another process is running this rollout"),
}


def conclude_joint(result: JointResult) -> int:
    """0 when promoted; RolloutPaused (6) when held part-way; RolloutFailed (4) when traffic went back."""
    if result.phase in (PROMOTED, PROGRESSING):
        return 0
    if result.phase == PAUSED:
        held = ", ".join(f"{name} at {s.weight:.0%} of version {s.candidate}" for name, s in result.states.items())
        raise RolloutPaused(f"joint rollout paused ({held}): {result.reason}; run scf resume, promote --full or abort")
    verb = "rolled back" if result.phase == ROLLED_BACK else "aborted"
    back = ", ".join(f"{name} on version {s.stable}" for name, s in result.states.items())
    raise RolloutFailed(f"joint rollout {verb}, all traffic back on the stable versions ({back}): {result.reason}")
