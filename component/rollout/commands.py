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
from typing import Any

from component.cloud.api import AliasInfo, ScfApi
from component.config.project import Project
from component.connect import Connection
from component.deploy.context import release_alias, spec_for
from component.deploy.executor import DisplayOnlyExecutor
from component.deploy.routing import routing_text
from component.errors import ConfigError, Problem
from component.release.operations import missing_alias
from component.rollout.analysis import VersionFigures, resumed
from component.rollout.metrics import PERIOD, iso, measurable_at, monitor_lag, read_figures, window
from component.rollout.model import RolloutSpec, spec_from
from component.rollout.runner import POLL, RolloutRunner, Target, conclude
from component.rollout.state import ABORTED, PROGRESSING, PROMOTED, RolloutState, state_of
from component.rollout.view import RolloutView, figures_json, render_status, state_json
from component.tools import Tools

WATCH_INTERVAL = 30.0  # the slowest ``status --watch`` polls (a tenth of a 5-minute pause)


def _target(project: Project, connection: Connection, alias: str | None) -> Target:
    spec = spec_for(project)
    fn = spec.function
    name = release_alias(spec, alias)
    api = ScfApi(connection.transport(fn.region), fn.namespace)
    return Target(api, fn.name, name, monitor_lag(connection.endpoint))


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
        raise missing_alias(target.api, target.function, target.alias)
    return alias, state_of(alias)


def _require_active(target: Target, state: RolloutState | None, verb: str) -> RolloutState:
    if state is None or not state.active:
        phase = state.phase if state else "none recorded"
        raise ConfigError(Problem(path="--alias", message=f"no rollout to {verb} on alias {target.alias} ({phase})"))
    return state


def status(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    """The alias's routing and rollout; ``--watch`` follows it, polling at a rate that suits its pause.

    With ``--json`` stdout holds exactly one document (the last state); while watching, each change is
    also an NDJSON ``rollout.status`` event on stderr.
    """
    target = _target(project, connection, args.alias)
    spec: RolloutSpec | None = None
    last: dict[str, Any] = {}
    while True:
        alias, state = _read(target)
        document = _status_document(target, alias, state, tools)
        if document != last and args.watch:
            _show_status(tools, document, final=False)
        last = document
        if not args.watch or state is None or state.phase != PROGRESSING:
            break
        spec = spec or _rollout_spec(project, state)
        tools.sleep(watch_interval(spec.pause_of(state.step)))
    if tools.reporter.json_mode or not args.watch:
        _show_status(tools, last, final=True)
    return conclude(state) if args.watch and state is not None else 0


def watch_interval(pause: float) -> float:
    """A tenth of the step's pause, between :data:`POLL` and :data:`WATCH_INTERVAL` seconds."""
    return min(max(pause / 10, POLL), WATCH_INTERVAL)


def _status_document(target: Target, alias: AliasInfo, state: RolloutState | None, tools: Tools) -> dict[str, Any]:
    document: dict[str, Any] = {
        "alias": target.alias,
        "routing": routing_text(alias),
        "rollout": None if state is None else state_json(state),
    }
    if state is not None and state.active:
        now = tools.wall()
        span = window(state.started, now, target.lag)
        figures = _figures(target, state, now)
        document["window"] = {
            "stepStarted": iso(state.started),
            "from": None if span is None else iso(span[0]),
            "to": None if span is None else iso(span[1] + PERIOD),
            "measurableAt": iso(measurable_at(state.started, target.lag)),
        }
        document["figures"] = {"candidate": figures_json(figures[0]), "stable": figures_json(figures[1])}
    return document


def _show_status(tools: Tools, document: dict[str, Any], *, final: bool) -> None:
    reporter = tools.reporter
    if reporter.json_mode:
        if final:
            reporter.write(json.dumps(document, indent=2, default=str))
        else:
            reporter.event("rollout.status", **document)
        return
    reporter.write(render_status(document))


def _figures(target: Target, state: RolloutState, now: float) -> tuple[VersionFigures, VersionFigures]:
    return read_figures(
        target.api,
        target.function,
        state.candidate,
        state.stable,
        state.started,
        now,
        ("Invocation", "Error"),
        target.lag,
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
        from component.deploy.release_record import parse_record
        from component.rollout.state import alias_for

        desired = alias_for(target.alias, final, parse_record(alias.description))
        DisplayOnlyExecutor(tools.reporter, function=target.function).execute(
            Plan((PutAlias(target.function, desired, before=alias),))
        )
        return final, runner
    runner = RolloutRunner(target, _rollout_spec(project, active), tools, project.root)
    runner.write(final, alias)
    RolloutView(tools.reporter).end(final)
    report_done(tools, target, alias, final)
    return final, runner


def report_done(tools: Tools, target: Target, before: AliasInfo | None, state: RolloutState) -> None:
    """What the command did, on stdout: the alias's routing before → after, and the rollout's outcome."""
    after = target.api.get_alias(target.function, target.alias)
    document = {
        "functionName": target.function,
        "alias": target.alias,
        "before": None if before is None else routing_text(before),
        "after": None if after is None else routing_text(after),
        "rollout": state_json(state),
    }
    if tools.reporter.json_mode:
        tools.reporter.write(json.dumps(document, indent=2, default=str))
        return
    text = f"alias {target.alias}: {document['before']} -> {document['after']}; rollout {state.phase}"
    tools.reporter.write(f"{text} ({state.reason})" if state.reason else text)


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
    runner.warn_short_pauses()
    runner.write(restarted, alias)
    final = runner.run(restarted)
    report_done(tools, target, alias, final)
    return conclude(final)
