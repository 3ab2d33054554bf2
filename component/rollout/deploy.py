"""``scf deploy`` with a ``rollout``: the deploy pipeline up to step 1, then the runner.

The deploy plan is made from the user's spec with ``traffic`` set to the first step's weight, so
the dry run shows step 1 exactly. Its alias write is replaced by the runner's first write, which
carries the rollout state with the weight. Re-running the deploy for the candidate a rollout is
already walking (the planner publishes nothing: the fingerprint matches) continues from the step
recorded on the alias instead of starting over.
"""

from __future__ import annotations

from dataclasses import replace

from component.cloud.api import AliasInfo, ScfApi
from component.config.project import Project
from component.connect import Connection
from component.deploy.deployer import (
    Tools,
    package,
    save_locally,
    spec_for,
)
from component.deploy.executor import DisplayOnlyExecutor, Executor
from component.deploy.instructions import NEW_VERSION, Plan, PutAlias
from component.deploy.outputs import build_outputs
from component.deploy.planner import DEFAULT_ALIAS_DESCRIPTION, plan_deploy
from component.deploy.remote import read_remote
from component.deploy.waiter import Waiter
from component.rollout.metrics import monitor_lag
from component.rollout.model import RolloutSpec
from component.rollout.runner import RolloutRunner, Target, conclude
from component.rollout.state import PAUSED, PROGRESSING, PROMOTED, RolloutState, state_of
from component.rollout.view import state_json


def deploy_with_rollout(
    project: Project, connection: Connection, tools: Tools, rollout: RolloutSpec, *, dry_run: bool, walk: bool = True
) -> int:
    """Deploy up to step 1 and walk the steps; ``walk=False`` (a joint rollout) stops after step 1."""
    spec = spec_for(project)
    first = replace(spec, release=replace(spec.release, traffic=rollout.steps[0].traffic))
    reporter = tools.reporter
    fn = first.function
    reporter.step(f"packaging {fn.code.src if hasattr(fn.code, 'src') else 'cos object'}")
    code, zips = package(first)
    api = ScfApi(connection.transport(fn.region), fn.namespace)
    waiter = Waiter(api, sleep=tools.sleep, clock=tools.clock, on_wait=reporter.waited)
    reporter.step(f"reading {fn.name} in {fn.region}/{fn.namespace}")
    remote = read_remote(api, waiter, first)
    plan = plan_deploy(first, remote, code)
    for warning in plan.warnings:
        reporter.warn(warning)
    if dry_run:
        DisplayOnlyExecutor(reporter, function=fn.name, region=fn.region, namespace=fn.namespace).execute(plan)
        reporter.step(f"then rollout steps {', '.join(f'{s.traffic:.0%}' for s in rollout.steps)} with analysis")
        return 0
    alias_writes = tuple(i for i in plan.instructions if isinstance(i, PutAlias))
    executor = Executor(api, waiter, reporter, zips)
    result = executor.execute(Plan(tuple(i for i in plan.instructions if not isinstance(i, PutAlias))))
    candidate = result.published_version if plan.candidate == NEW_VERSION else plan.candidate
    target = Target(api, fn.name, first.release.alias, monitor_lag(connection.endpoint))
    runner = RolloutRunner(target, rollout, tools, project.root)
    final = _release(
        runner, executor, remote.alias, candidate, rollout, alias_writes, first.release.alias_description, tools, walk
    )
    alias = api.get_alias(fn.name, first.release.alias)
    outputs = build_outputs(spec, result.last_function or remote.function or {}, code, alias, candidate)
    if final is not None:
        outputs["rollout"] = state_json(final)
    save_locally(project, outputs, plan, reporter)
    context = {"elapsed": reporter.elapsed, "instance": project.name, "dry_run": False}
    code_ = conclude(final) if final is not None else 0
    reporter.result(outputs, context)
    return code_


def _release(
    runner: RolloutRunner,
    executor: Executor,
    current: AliasInfo | None,
    candidate: str | None,
    rollout: RolloutSpec,
    alias_writes: tuple[PutAlias, ...],
    text: str | None,
    tools: Tools,
    walk: bool = True,
) -> RolloutState | None:
    reporter = tools.reporter
    existing = state_of(current)
    if existing is not None and existing.candidate == candidate:
        if existing.phase == PROGRESSING:
            reporter.step(f"resuming the rollout of version {candidate} at step {existing.step + 1}")
            return runner.run(existing) if walk else existing
        if existing.phase == PAUSED:
            reporter.warn(
                f"the rollout of version {candidate} is paused ({existing.reason}): "
                "run scf resume, scf promote --full or scf abort"
            )
            return existing
        if existing.phase == PROMOTED:
            reporter.step(f"version {candidate} is already promoted on alias {current.name if current else ''}")
            return existing
        reporter.warn(f"version {candidate} was {existing.phase} before; starting a new rollout of it")
    if current is None or candidate is None or current.main_version == candidate:
        if alias_writes:
            reporter.warn("no stable version on the alias to roll out from: it gets all traffic on the new version")
        executor.execute(Plan(alias_writes))
        return None
    if existing is not None and existing.active:
        reporter.warn(f"superseding the unfinished rollout of version {existing.candidate}")
    if text:
        current = _with_text(current, text)
    elif not current.description:
        current = _with_text(current, DEFAULT_ALIAS_DESCRIPTION)
    state = RolloutState(PROGRESSING, candidate, current.main_version, rollout.weights, 0, tools.wall())
    return runner.begin(state, current, walk=walk)


def _with_text(alias: AliasInfo, text: str) -> AliasInfo:
    from component.release.record import parse_record

    record = parse_record(alias.description)
    return replace(alias, description=replace(record, text=text).describe())


__all__ = ["deploy_with_rollout"]
