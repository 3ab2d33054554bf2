"""``scf deploy`` with a ``rollout``: the deploy pipeline with its alias stage replaced by the step walker.

Everything else is the deploy pipeline's own stages (package, read, plan function, triggers and API
Gateway, execute, prune, record), so a rollout deploys what a plain deploy does. The walker changes
only the alias stage:

* plan: the alias write is planned as for a deploy whose ``traffic`` is the first step's weight, so the
  dry run shows step 1 exactly; an explicit ``traffic`` is overridden, with a warning;
* execute: the walker performs the planned ``PutAlias``: it starts a rollout (step 1's weight and the
  rollout state in one write), continues the one already walking the same candidate (the planner
  published nothing: the fingerprint matches), or writes the alias as planned when there is no stable
  version to roll out from;
* settle: once triggers and API Gateway are in place, it walks the remaining steps (a joint rollout
  stops after step 1: ``component.rollout.joint`` walks all instances) and puts the state in the outputs.
"""

from __future__ import annotations

from dataclasses import replace

from component.cloud.api import AliasInfo
from component.deploy.context import Context
from component.deploy.executor import Executor
from component.deploy.instructions import NEW_VERSION, PutAlias
from component.deploy.pipeline import AliasStage
from component.deploy.planner import DEFAULT_ALIAS_DESCRIPTION, plan_alias
from component.deploy.release_record import parse_record
from component.deploy.stages import Handlers
from component.errors import RolloutFailed, RolloutPaused
from component.rollout.model import RolloutSpec
from component.rollout.runner import RolloutRunner, Target, conclude
from component.rollout.state import PAUSED, PROGRESSING, PROMOTED, RolloutState, state_of
from component.rollout.view import state_json


class StepWalker:
    """The rollout's alias stage for one deploy (``walk=False``: stop after step 1)."""

    def __init__(self, rollout: RolloutSpec, *, walk: bool = True, lag: float = 0.0) -> None:
        self._rollout = rollout
        self._walk = walk
        self._lag = lag  # Monitor's reporting lag at the endpoint (``metrics.monitor_lag``)
        self._state: RolloutState | None = None
        self._runner: RolloutRunner | None = None

    def stage(self) -> AliasStage:
        return AliasStage(plan=self.plan, handlers=self.handlers, settle=self.settle, preview=self.preview)

    def plan(self, ctx: Context) -> None:
        first = self._rollout.steps[0].traffic
        release = ctx.spec.release
        if release.traffic is not None:
            ctx.warnings.append(
                f"traffic {release.traffic:g} is overridden by the rollout: alias {release.alias} gets "
                f"{first:.0%} at step 1, then the rollout's steps"
            )
        spec = replace(ctx.spec, release=replace(release, traffic=first))
        steps, warnings = plan_alias(spec, ctx.remote, ctx.candidate)
        ctx.alias_steps = steps
        ctx.warnings += warnings

    def preview(self, ctx: Context) -> None:
        steps = ", ".join(f"{s.traffic:.0%}" for s in self._rollout.steps)
        ctx.tools.reporter.step(f"then rollout steps {steps} with analysis")

    def handlers(self, ctx: Context, executor: Executor) -> Handlers:
        return {PutAlias: lambda step: self._release(ctx, executor, step)}

    def settle(self, ctx: Context) -> None:
        fn, alias = ctx.spec.function.name, ctx.spec.release.alias
        state = self._state
        if state is not None and state.phase == PROGRESSING and self._walk:
            state = self._state = self._runner_for(ctx).run(state)
        ctx.alias_after = ctx.api.get_alias(fn, alias)
        if state is None:
            return
        checks = self._runner.checks if self._runner is not None else []
        ctx.extra_outputs["rollout"] = {**state_json(state), "checks": checks}
        try:
            conclude(state)
        except (RolloutFailed, RolloutPaused) as failed:  # reported after the outputs are recorded
            ctx.failure = failed

    def _runner_for(self, ctx: Context) -> RolloutRunner:
        if self._runner is None:
            target = Target(ctx.api, ctx.spec.function.name, ctx.spec.release.alias, self._lag)
            self._runner = RolloutRunner(target, self._rollout, ctx.tools, ctx.project.root)
        return self._runner

    def _release(self, ctx: Context, executor: Executor, step: PutAlias) -> None:
        reporter = ctx.tools.reporter
        current = ctx.remote.alias
        candidate = executor.resolve(ctx.candidate) if ctx.candidate is not None else None
        existing = state_of(current)
        if existing is not None and existing.candidate == candidate:
            if existing.phase == PROGRESSING:
                reporter.step(f"resuming the rollout of version {candidate} at step {existing.step + 1}")
                self._state = existing
                return
            if existing.phase == PAUSED:
                reporter.warn(
                    f"the rollout of version {candidate} is paused ({existing.reason}): "
                    "run scf resume, scf promote --full or scf abort"
                )
                self._state = existing
                return
            if existing.phase == PROMOTED:
                reporter.step(f"version {candidate} is already promoted on alias {current.name if current else ''}")
                self._state = existing
                return
            reporter.warn(f"version {candidate} was {existing.phase} before; starting a new rollout of it")
        stable = current.main_version if current is not None else step.target.main_version  # new: the planner's
        if candidate is None or stable in (candidate, NEW_VERSION):
            reporter.warn("no stable version to roll out from: the alias gets all traffic on the new version")
            executor.put_alias(step)
            return
        if existing is not None and existing.active:
            reporter.warn(f"superseding the unfinished rollout of version {existing.candidate}")
        text = ctx.spec.release.alias_description
        if current is not None and text:
            current = _with_text(current, text)
        elif current is not None and not current.description:
            current = _with_text(current, DEFAULT_ALIAS_DESCRIPTION)
        state = RolloutState(PROGRESSING, candidate, stable, self._rollout.weights, 0, ctx.tools.wall())
        self._state = self._runner_for(ctx).begin(state, current, walk=False)


def _with_text(alias: AliasInfo, text: str) -> AliasInfo:
    record = parse_record(alias.description)
    return replace(alias, description=replace(record, text=text).describe())


def rollout_alias_stage(rollout: RolloutSpec, *, walk: bool = True, lag: float = 0.0) -> AliasStage:
    return StepWalker(rollout, walk=walk, lag=lag).stage()


__all__ = ["StepWalker", "rollout_alias_stage"]
