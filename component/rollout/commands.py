"""``scf status [--watch]``, ``scf abort``, ``scf resume`` and ``scf promote --full``.

Each reads the rollout state from the alias (never from local files), so they work from any
process or machine: abort and promote write the final routing and state in one UpdateAlias through
the executor; the deploy that is still running notices at its next check and stops. Resume takes
the recorded step (after a pause or a killed deploy) and runs the remaining steps in this process.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from component.cloud.api import AliasInfo, ScfApi
from component.config.project import Project
from component.connect import Connection
from component.deploy.deployer import Tools, spec_for
from component.deploy.executor import DisplayOnlyExecutor, routing_text
from component.errors import ConfigError, Problem
from component.rollout.analysis import VersionFigures, resumed
from component.rollout.metrics import read_figures
from component.rollout.model import RolloutSpec, spec_from
from component.rollout.runner import RolloutRunner, Target, conclude
from component.rollout.state import ABORTED, PROGRESSING, PROMOTED, RolloutState, state_of
from component.rollout.view import RolloutView, render_status, state_json

WATCH_INTERVAL = 10.0


def _target(project: Project, connection: Connection, alias: str | None) -> Target:
    fn = spec_for(project).function
    name = str(alias or project.inputs.get("aliasName") or "$DEFAULT")
    return Target(ScfApi(connection.transport(fn.region), fn.namespace), fn.name, name)


def _rollout_spec(project: Project, state: RolloutState) -> RolloutSpec:
    raw = project.inputs.get("rollout")
    spec = spec_from(raw if isinstance(raw, dict) else {"steps": list(state.steps)})
    if spec.weights != state.steps:  # the recorded steps win: they are what this rollout walks
        interval = spec.steps[0].pause
        spec = replace(spec, steps=tuple(replace(spec.steps[0], traffic=w, pause=interval) for w in state.steps))
    return spec


def _read(target: Target) -> tuple[AliasInfo, RolloutState | None]:
    alias = target.api.get_alias(target.function, target.alias)
    if alias is None:
        raise ConfigError(Problem(path="--alias", message=f"alias {target.alias} does not exist on {target.function}"))
    return alias, state_of(alias)


def _require_active(target: Target, state: RolloutState | None, verb: str) -> RolloutState:
    if state is None or not state.active:
        phase = state.phase if state else "none recorded"
        raise ConfigError(Problem(path="--alias", message=f"no rollout to {verb} on alias {target.alias} ({phase})"))
    return state


def status(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    target = _target(project, connection, args.alias)
    last = ""
    while True:
        alias, state = _read(target)
        figures = _figures(target, state, tools)
        if tools.reporter.json_mode:
            document = {
                "alias": target.alias,
                "routing": routing_text(alias),
                "rollout": None if state is None else state_json(state),
            }
            if figures is not None:
                document["figures"] = {"candidate": figures[0].__dict__, "stable": figures[1].__dict__}
            text = json.dumps(document, default=str)
        else:
            text = render_status(target.alias, state, figures, routing_text(alias))
        if text != last:
            tools.reporter.write(text)
            last = text
        if not args.watch or state is None or state.phase != PROGRESSING:
            break
        tools.sleep(WATCH_INTERVAL)
    return conclude(state) if args.watch and state is not None else 0


def _figures(target: Target, state: RolloutState | None, tools: Tools) -> tuple[VersionFigures, VersionFigures] | None:
    if state is None or not state.active:
        return None
    return read_figures(
        target.api, target.function, state.candidate, state.stable, state.started, tools.wall(), ("Invocation", "Error")
    )


def _finish(
    args: argparse.Namespace, project: Project, connection: Connection, tools: Tools, phase: str, reason: str
) -> tuple[RolloutState, RolloutRunner | None]:
    target = _target(project, connection, args.alias)
    alias, state = _read(target)
    active = _require_active(target, state, "abort" if phase == ABORTED else "promote")
    final = replace(active, phase=phase, reason=reason)
    if args.dry_run:
        runner = None
        from component.deploy.instructions import Plan, PutAlias
        from component.release.record import parse_record
        from component.rollout.state import alias_for

        desired = alias_for(target.alias, final, parse_record(alias.description))
        DisplayOnlyExecutor(tools.reporter, function=target.function).execute(
            Plan((PutAlias(target.function, desired, before=alias),))
        )
        return final, runner
    runner = RolloutRunner(target, _rollout_spec(project, active), tools, project.root)
    runner.write(final, alias)
    RolloutView(tools.reporter).end(final)
    return final, runner


def abort(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    _finish(args, project, connection, tools, ABORTED, "aborted by scf abort")
    return 0


def promote_full(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    _finish(args, project, connection, tools, PROMOTED, "promoted by scf promote --full")
    return 0


def resume(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    target = _target(project, connection, args.alias)
    alias, state = _read(target)
    active = _require_active(target, state, "resume")
    runner = RolloutRunner(target, _rollout_spec(project, active), tools, project.root)
    restarted = resumed(active, tools.wall())
    tools.reporter.step(f"resuming the rollout of version {active.candidate} at step {active.step + 1}")
    runner.write(restarted, alias)
    return conclude(runner.run(restarted))
