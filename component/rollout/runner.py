"""Drive a rollout: wait, read the alias and the metrics, decide, run hooks, write the next state.

The runner owns the loop and the I/O; the decisions come from the pure :func:`decide`. Every alias
write is a one-instruction :class:`Plan` run by the deploy :class:`Executor` (still the only code
that writes), and each write carries the new weight and the new state in the same UpdateAlias.

Before every check, and again right before the write that follows it (reading Monitor and running
hooks takes time), the runner re-reads the alias: if another process (``scf abort``, ``scf promote
--full``, a plain ``scf rollback``) changed the recorded state, this run stops and reports what the
other command did instead of overwriting it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from component.cloud.api import AliasInfo, ScfApi
from component.deploy.executor import Executor
from component.deploy.instructions import Plan, PutAlias
from component.deploy.release_record import ReleaseRecord, parse_record
from component.deploy.waiter import Waiter
from component.errors import RolloutFailed, RolloutPaused
from component.rollout.analysis import Move, Verdict, VersionFigures, analyze, decide
from component.rollout.hooks import run_hook
from component.rollout.metrics import measurable_at, read_figures, short_pause_warning, window
from component.rollout.model import Hook, RolloutSpec
from component.rollout.state import ABORTED, PAUSED, PROGRESSING, PROMOTED, RolloutState, alias_for, state_of
from component.rollout.view import RolloutView, figures_json
from component.tools import Tools

POLL = 2.0  # seconds between reads of the alias while a step waits: another process's abort shows within this


@dataclass(frozen=True)
class Target:
    api: ScfApi
    function: str
    alias: str
    lag: float  # Monitor's reporting lag at this endpoint (``metrics.monitor_lag``)


class RolloutRunner:
    def __init__(self, target: Target, spec: RolloutSpec, tools: Tools, root: Path) -> None:
        self._t = target
        self._spec = spec
        self._tools = tools
        self._root = root
        self._view = RolloutView(tools.reporter)
        self.checks: list[dict[str, Any]] = []  # every check this run made: the step summary's chart
        waiter = Waiter(target.api, sleep=tools.sleep, clock=tools.clock, on_wait=tools.reporter.waited)
        self._executor = Executor(target.api, waiter, tools.reporter, {})

    # -- writes ------------------------------------------------------------------------------
    def write(self, state: RolloutState, current: AliasInfo | None) -> AliasInfo:
        record = parse_record(current.description) if current else ReleaseRecord()
        state = replace(state, reason=self._tools.reporter.scrub(state.reason))  # never stored in the cloud
        desired = alias_for(self._t.alias, state, record)
        self._executor.execute(Plan((PutAlias(self._t.function, desired, before=current, create=current is None),)))
        return desired

    def begin(self, state: RolloutState, current: AliasInfo | None, *, walk: bool = True) -> RolloutState:
        """Start at ``state.step``: pre-step hooks, then the step's weight and state in one write.

        ``walk=False`` stops there (a joint rollout: ``component.rollout.joint`` walks the steps).
        """
        self.warn_short_pauses()
        failed = self._hooks("preStep", self._spec.pre_step, state)
        if failed:
            return self._stop(finish_with(state, ABORTED, failed), current)
        self.write(state, current)
        self._view.step(state)
        return self.run(state) if walk else state

    def warn_short_pauses(self) -> None:
        warning = short_pause_warning([s.pause for s in self._spec.steps], self._t.lag)
        if warning:
            self._tools.reporter.warn(warning)

    def _stop(self, state: RolloutState, current: AliasInfo | None) -> RolloutState:
        self.write(state, current)
        self._view.end(state)
        return state

    # -- the loop ----------------------------------------------------------------------------
    def run(self, state: RolloutState) -> RolloutState:
        """Observe and advance until the rollout is promoted, rolled back, aborted or paused."""
        while state.phase == PROGRESSING:
            changed = self._wait(state)
            if changed is not None:
                state = changed
                break
            state = self._check(state)
        self._view.end(state)
        return state

    def _wait(self, state: RolloutState) -> RolloutState | None:
        """Wait for the next check (:func:`wait_for_check`); what another command did, if it changed the alias."""
        found: list[RolloutState] = []

        def changed() -> bool:
            recorded = state_of(self._t.api.get_alias(self._t.function, self._t.alias))
            if not still_ours(recorded, state):
                found.append(self._taken_over(recorded, state))
            return bool(found)

        so_far: dict[str, Any] = {}

        def progress(left: float) -> None:
            span = window(state.started, self._tools.wall(), self._t.lag)
            if span is not None and so_far.get("span") != span:  # a new complete minute: read the figures once
                so_far["span"] = span
                so_far["figures"] = self._figures(state)
            self._view.waiting(state, left, so_far.get("figures"))

        pause = self._spec.pause_of(state.step)
        wait_for_check(self._tools, pause, state.started, self._t.lag, changed, progress)
        self._view.waited()
        return found[0] if found else None

    def _figures(self, state: RolloutState) -> tuple[VersionFigures, VersionFigures]:
        return read_figures(
            self._t.api,
            self._t.function,
            state.candidate,
            state.stable,
            state.started,
            self._tools.wall(),
            self._spec.analysis.metrics,
            self._t.lag,
        )

    def _check(self, state: RolloutState) -> RolloutState:
        candidate, stable = self._figures(state)
        verdict = analyze(self._spec.analysis, candidate, stable)
        move, nxt = decide(self._spec, state, verdict, candidate, stable, self._tools.wall())
        self._view.check(nxt, move, verdict, candidate, stable, checked=state)
        self.checks.append(check_record(state, move, verdict, candidate, stable))
        if move in (Move.ADVANCE, Move.PROMOTE):
            failed = self._hooks("postStep", self._spec.post_step, state)
            if failed:
                return self._write_if_ours(finish_with(nxt, ABORTED, failed), state)
        if move is Move.ADVANCE:
            failed = self._hooks("preStep", self._spec.pre_step, nxt)
            if failed:
                return self._write_if_ours(finish_with(nxt, ABORTED, failed), state)
        written = self._write_if_ours(nxt, state)
        if move is Move.ADVANCE and written is nxt:
            self._view.step(nxt)
        return written

    def _write_if_ours(self, nxt: RolloutState, ours: RolloutState) -> RolloutState:
        """Write ``nxt`` unless the alias no longer records ``ours`` (re-read just before the write).

        Reading Monitor and running hooks takes time: an ``scf abort`` or ``promote --full`` that lands
        meanwhile must win, not be overwritten by this check's verdict.
        """
        current = self._t.api.get_alias(self._t.function, self._t.alias)
        recorded = state_of(current)
        if not still_ours(recorded, ours):
            return self._taken_over(recorded, ours)
        self.write(nxt, current)
        return nxt

    def _taken_over(self, recorded: RolloutState | None, ours: RolloutState) -> RolloutState:
        """What this run reports when another command changed the alias: that command's outcome."""
        if recorded is None or recorded.candidate != ours.candidate:
            return finish_with(ours, ABORTED, "the alias was changed outside this rollout")
        if recorded.phase == PROGRESSING:
            return finish_with(ours, ABORTED, "another process is running this rollout")
        return replace(recorded, reason=recorded.reason or f"{recorded.phase} by another command")

    def hooks(self, stage: str, state: RolloutState) -> str:
        """``preStep`` or ``postStep`` hooks of this rollout for ``state``; the first failure, or ``""``."""
        return self._hooks(stage, self._spec.pre_step if stage == "preStep" else self._spec.post_step, state)

    def _hooks(self, stage: str, hooks: tuple[Hook, ...], state: RolloutState) -> str:
        """Run ``hooks`` in order; the reason of the first failure, or ``""``."""
        payload = self._payload(stage, state)
        for hook in hooks:
            label = self._tools.reporter.scrub(hook.label)
            self._view.hook_start(stage, label, hook.timeout, state)
            result = run_hook(hook, payload, self._root)
            detail = self._tools.reporter.scrub(result.detail)  # a hook's output may echo a key: masked at once
            self._view.hook(stage, label, result.ok, detail)
            if not result.ok:
                return f"{stage} hook {label} failed: {detail}"
        return ""

    def _payload(self, stage: str, state: RolloutState) -> dict[str, Any]:
        return {
            "stage": stage,
            "function": self._t.function,
            "alias": self._t.alias,
            "candidate": state.candidate,
            "stable": state.stable,
            "step": state.step + 1,
            "weight": state.weight,
        }


def check_record(
    state: RolloutState, move: Move, verdict: Verdict, candidate: VersionFigures, stable: VersionFigures
) -> dict[str, Any]:
    """One check as the outputs file and the step summary keep it."""
    return {
        "step": state.step + 1,
        "weight": state.weight,
        "verdict": verdict.outcome.value,
        "move": move.value,
        "candidate": figures_json(candidate),
        "stable": figures_json(stable),
    }


def wait_for_check(
    tools: Tools,
    pause: float,
    started: float,
    lag: float,
    changed: Callable[[], bool],
    progress: Callable[[float], None] | None = None,
) -> bool:
    """Sleep through a step's pause, and on until its first complete Monitor minute is readable.

    ``changed`` (a re-read of the alias) runs every :data:`POLL` seconds, so an ``scf abort`` or
    ``promote --full`` from another process ends the wait at once: True then, False when it is time to
    check. Time is counted on the monotonic clock (wall clocks jump); the wall clock places the minute.
    """
    wait = max(pause, measurable_at(started, lag) - tools.wall())
    deadline = tools.clock() + wait
    while (left := deadline - tools.clock()) > 0:
        if progress is not None:  # the countdown and the figures so far
            progress(left)
        tools.sleep(min(POLL, left))
        if changed():
            return True
    return False


def still_ours(recorded: RolloutState | None, ours: RolloutState) -> bool:
    return (
        recorded is not None
        and recorded.candidate == ours.candidate
        and recorded.phase == PROGRESSING
        and recorded.step == ours.step
    )


def finish_with(state: RolloutState, phase: str, reason: str) -> RolloutState:
    return replace(state, phase=phase, reason=reason)


def conclude(state: RolloutState) -> int:
    """Exit code for a finished run: 0 when promoted; RolloutPaused (6) or RolloutFailed (4) otherwise.

    A pause is not a success: the alias still serves the step's split, waiting for a human.
    """
    if state.phase in (PROMOTED, PROGRESSING):
        return 0
    if state.phase == PAUSED:
        msg = (
            f"rollout of version {state.candidate} paused at {state.weight:.0%} (version {state.stable} keeps the "
            f"rest): {state.reason}; run scf resume, scf promote --full or scf abort"
        )
        raise RolloutPaused(msg)
    verb = "rolled back" if state.phase != ABORTED else "aborted"
    msg = f"rollout of version {state.candidate} {verb}, all traffic on version {state.stable}: {state.reason}"
    raise RolloutFailed(msg)
