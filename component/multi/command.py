"""``scf deploy | remove | info`` at a root folder: every instance, in dependency order, concurrently.

Steps, and why in this order:

1. discover the instances and build the graph: missing references, unknown output keys and cycles
   are ConfigErrors (exit 2) before anything else;
2. load every instance once, reading outputs already recorded and putting a placeholder where a
   dependency has not been deployed yet, so every configuration problem of every instance is also
   reported before the first cloud call;
3. connect once (for ``--local`` the embedded emulator keeps its state in the root's ``.serverless/``,
   so all instances share one "cloud"), with one rate limiter shared by all instances;
4. run the graph (``runner``); a deploy reloads its instance just before starting, now that its
   dependencies' outputs are recorded, and runs the very same command handler as a single-instance
   run, with its own transport (SDK clients are not shared across threads);
5. print each instance's result as it finishes, then the summary table; the exit code is the highest
   among the failures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from component.cloud.api import Transport
from component.config.envfiles import merged_env
from component.config.project import Project, load_identity, load_project
from component.config.variables import OutputResolver
from component.connect import Connection, connect
from component.errors import ConfigError, Problem, RolloutFailed, RolloutPaused, ScfError, UsageError
from component.multi.discover import Instance, discover
from component.multi.graph import Graph, build_graph
from component.multi.outputs.resolve import resolver
from component.multi.ratelimit import DEFAULT_PARALLEL, LimitedTransport, RateLimiter
from component.multi.release_together import joint_names, run_joint
from component.multi.report import InstanceReporter
from component.multi.runner import Outcome, run_graph
from component.multi.summary import json_rows, render_table
from component.rollout.joint import JointResult, conclude_joint
from component.rollout.state import PAUSED, PROMOTED, RolloutState
from component.tools import Tools

Handler = Callable[[argparse.Namespace, Project, Connection, Tools], int]

# How each command walks the graph: deploy and info follow dependencies, remove goes backwards, status
# (read-only: one instance's rolled-back rollout must not hide another's) reads every instance on its own.
DIRECTIONS: dict[str, Callable[[Graph], Graph]] = {
    "deploy": lambda graph: graph,
    "info": lambda graph: graph,
    "status": lambda graph: Graph(graph.instances, dict.fromkeys(graph.needs, ())),
    "remove": Graph.reversed,
}


@dataclasses.dataclass(frozen=True)
class LimitedConnection(Connection):
    """A connection whose transports share one client-side rate limiter."""

    limiter: RateLimiter | None = None

    def transport(self, region: str) -> Transport:
        inner = super().transport(region)
        return inner if self.limiter is None else LimitedTransport(inner, self.limiter)


class InstanceFailed(ScfError):
    """A command handler returned a non-zero exit code without raising."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(f"finished with exit code {exit_code}")
        self.exit_code = exit_code


def run_multi(
    args: argparse.Namespace,
    overrides: Mapping[str, Any],
    tools: Tools,
    handlers: Mapping[str, Handler],
    step_one: Handler,
) -> int:
    """Run ``handlers[args.command]`` on every instance; a joint release deploys with ``step_one`` (its
    rollouts stop after step 1) and then walks the steps for all of them here."""
    root = Path(args.target).expanduser().resolve()
    instances = discover(root, os.environ)
    names = ", ".join(i.name for i in instances)
    if args.command not in DIRECTIONS:
        msg = f"{args.command} works on one instance: pass --target {root}/<folder> (instances here: {names})"
        raise UsageError(msg)
    if overrides:
        msg = f"--inputs applies to one instance: pass --target {root}/<folder> (instances here: {names})"
        raise UsageError(msg)
    graph = DIRECTIONS[args.command](build_graph(instances, args.stage))
    by_name = graph.instances
    projects = _preload(args, instances, resolver(by_name, placeholder=True))
    joint = joint_names(graph.order(), projects, by_name) if args.command == "deploy" else []
    handler = step_one if joint else handlers[args.command]
    loaded: dict[str, Project] = {}
    strict = args.command == "deploy" and not getattr(args, "dry_run", False)
    resolve = resolver(by_name, placeholder=not strict)
    env = merged_env(root, args.stage, os.environ)
    with connect(
        env, local=args.local, endpoint=args.endpoint, state_dir=root / ".serverless", sleep=tools.sleep,
        record=getattr(args, "record", None), notice=tools.reporter.step,
    ) as connection:
        reporter = tools.reporter
        reporter.add_secrets(connection.credentials.secrets())
        fields = {f.name: getattr(connection, f.name) for f in dataclasses.fields(connection)}
        limited = LimitedConnection(**fields, limiter=RateLimiter(clock=tools.clock, sleep=tools.sleep))
        stage = next(iter(projects.values())).stage
        reporter.step(
            f"{args.command} {len(instances)} instances under {root} (stage {stage}) on {connection.label}; "
            f"order: {', '.join(graph.order())}"
        )
        lock = threading.Lock()

        def work(name: str) -> str:
            instance_reporter = InstanceReporter(reporter, name, lock, tools.clock)
            instance_tools = tools.with_reporter(instance_reporter)
            project = projects[name]
            if strict:
                project = _load(args, by_name[name], resolve)
            loaded[name] = project
            instance_reporter.step(f"{args.command} {project.name} (stage {project.stage})")
            for warning in project.warnings:
                instance_reporter.warn(str(warning))
            code = handler(args, project, limited, instance_tools)
            if code != 0:
                raise InstanceFailed(code)
            return instance_reporter.buffered

        start = tools.clock()
        outcomes = run_graph(
            graph,
            work,
            parallel=getattr(args, "parallel", None) or DEFAULT_PARALLEL,
            clock=tools.clock,
            on_done=lambda outcome: _show(outcome, tools, lock),
        )
        released = None
        if joint and strict:  # every instance is at step 1 (or failed): one walk for all of them
            released = run_joint(joint, loaded, outcomes, limited, tools, lock)
            outcomes = settled(outcomes, released) if released is not None else outcomes
        elif joint:
            reporter.step(f"then one joint rollout of {', '.join(joint)} with the steps of {joint[0]}")
        total = tools.clock() - start
    _summarize(args.command, outcomes, total, tools, released)
    code = max((o.exit_code for o in outcomes if o.status == "failed"), default=0)
    return max(code, conclude_joint(released)) if released is not None else code


def _load(args: argparse.Namespace, instance: Instance, outputs: OutputResolver) -> Project:
    where = {"stage": args.stage, "app": args.app, "org": args.org, "environ": os.environ}
    try:
        return load_project(instance.folder, outputs=outputs, **where)
    except ConfigError as exc:
        if args.command != "remove":  # remove needs only the function's identity (#13 item 9)
            raise
        return load_identity(instance.folder, ignored=exc.problems, **where)


def _preload(args: argparse.Namespace, instances: tuple[Instance, ...], outputs: OutputResolver) -> dict[str, Project]:
    """Load every instance now so that every configuration problem is reported before any cloud call."""
    projects: dict[str, Project] = {}
    problems: list[Problem] = []
    for instance in instances:
        try:
            projects[instance.name] = _load(args, instance, outputs)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return projects


def _show(outcome: Outcome, tools: Tools, lock: threading.Lock) -> None:
    reporter = tools.reporter
    with lock:
        if outcome.status == "failed":
            if reporter.json_mode:
                reporter.event("error", instance=outcome.instance, exit_code=outcome.exit_code, message=outcome.detail)
            else:
                reporter.err.write(reporter.scrub(f"error: {outcome.instance}: {outcome.detail}") + "\n")
        elif outcome.status == "skipped":
            if reporter.json_mode:
                reporter.event("skipped", instance=outcome.instance, message=outcome.detail)
            else:
                reporter.err.write(f"skipped: {outcome.instance}: {outcome.detail}\n")
        elif not reporter.json_mode and isinstance(outcome.result, str) and outcome.result.strip():
            reporter.write(f"── {outcome.instance} ──\n{outcome.result}")


def settled(outcomes: list[Outcome], released: JointResult) -> list[Outcome]:
    """The instances of a joint rollout as it ended: not "deployed" when it rolled back, aborted or paused,
    and (with --json) their outputs as the cloud now serves them."""
    return [
        _settle(o, released.states[o.instance], released.outputs.get(o.instance))
        if o.instance in released.states and o.status == "ok"
        else o
        for o in outcomes
    ]


def _settle(outcome: Outcome, state: RolloutState, outputs: dict[str, Any] | None) -> Outcome:
    result = outcome.result
    if outputs is not None and isinstance(result, str) and result.lstrip().startswith("{"):
        result = json.dumps(outputs, indent=2, default=str)
    if state.phase == PROMOTED:
        return dataclasses.replace(outcome, result=result)
    code = RolloutPaused.exit_code if state.phase == PAUSED else RolloutFailed.exit_code
    detail = f"rollout {state.phase}: {state.reason}"
    return dataclasses.replace(outcome, status="failed", exit_code=code, detail=detail, result=result)


def _summarize(
    command: str, outcomes: list[Outcome], total: float, tools: Tools, released: JointResult | None = None
) -> None:
    reporter = tools.reporter
    if reporter.json_mode:
        rows = json_rows(command, [_parsed(o) for o in outcomes])
        document: dict[str, Any] = {"command": command, "seconds": round(total, 3), "instances": rows}
        if released is not None:
            document["rollout"] = released.to_json()
        reporter.write(json.dumps(document, indent=2))
    else:
        table = render_table(command, outcomes, total)
        if released is not None:
            table += f"\njoint rollout {released.phase}" + (f": {released.reason}" if released.reason else "")
        reporter.write(table)


def _parsed(outcome: Outcome) -> Outcome:
    """In JSON mode an instance's buffered stdout is a JSON document: embed it as data."""
    if not isinstance(outcome.result, str):
        return outcome
    text = outcome.result.strip()
    try:
        value = json.loads(text) if text else None
    except ValueError:
        value = text
    return dataclasses.replace(outcome, result=value)
