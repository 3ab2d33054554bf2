"""Instances released together: glue between a multi-instance deploy and ``component.rollout.joint``.

``run_multi`` asks :func:`joint_names` which instances release together (more than one declaring a
``rollout``; their release policies must match, checked with the other configuration problems
before any cloud call), deploys every instance with the step-one deploy handler that ``commands``
passes in (each deploy stops after writing step 1 on its alias), then hands the deployed instances to
:func:`run_joint`. The states to walk are read back from the aliases, not passed between threads: the
alias record is the truth, which also makes a killed joint deploy continue from the recorded step when it
is run again.

If an instance of the release failed to deploy, the ones that did start are rolled back at once:
the release is all of them or none of them.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from component.cloud.api import AliasInfo, ScfApi
from component.config.project import Project
from component.connect import Connection
from component.deploy.context import spec_for
from component.deploy.outputs import outputs_path, record_outputs, traffic_fields
from component.errors import ConfigError, LocalWriteError, Problem
from component.localfiles import append_text, not_written
from component.multi.discover import Instance
from component.multi.report import InstanceReporter
from component.multi.runner import Outcome
from component.rollout.joint import JointResult, JointRollout, Member, policy_mismatches
from component.rollout.metrics import monitor_lag
from component.rollout.model import RolloutSpec, rollout_spec
from component.rollout.runner import RolloutRunner, Target
from component.rollout.state import PROGRESSING, RolloutState, state_of
from component.rollout.view import RolloutView, state_json
from component.tools import Tools


def joint_names(order: Sequence[str], projects: Mapping[str, Project], instances: Mapping[str, Instance]) -> list[str]:
    """The instances released together, in graph order (the first one leads); [] when fewer than two."""
    specs = [(name, spec) for name in order if (spec := rollout_spec(projects[name].inputs)) is not None]
    if len(specs) < 2:
        return []
    problems = [
        Problem("inputs.rollout", message, str(instances[name].file)) for name, message in policy_mismatches(specs)
    ]
    if problems:
        raise ConfigError(problems)
    return [name for name, _ in specs]


def run_joint(
    names: Sequence[str],
    projects: Mapping[str, Project],
    outcomes: Sequence[Outcome],
    connection: Connection,
    tools: Tools,
    lock: threading.Lock,
) -> JointResult | None:
    """Walk the rollouts the deploys started; ``None`` when none is in progress (nothing changed)."""
    status = {o.instance: o.status for o in outcomes}
    missing = [name for name in names if status.get(name) != "ok"]
    members: list[Member] = []
    states: dict[str, RolloutState] = {}
    for name in names:
        if name in missing:
            continue
        member = _member(name, projects[name], connection, tools, lock)
        state = state_of(member.target.api.get_alias(member.target.function, member.target.alias))
        if state is not None and state.phase == PROGRESSING:
            members.append(member)
            states[name] = state
    if not members:
        return None
    joint = JointRollout(members, tools)
    if missing:
        reason = f"instance {missing[0]} of the joint rollout did not deploy ({status.get(missing[0], 'not run')})"
        result = joint.abort_all(states, reason)
    else:
        result = joint.start(states)
    for member in members:
        alias = member.target.api.get_alias(member.target.function, member.target.alias)
        recorded = _record(projects[member.instance], result.states[member.instance], alias)
        if recorded is not None:
            result.outputs[member.instance] = recorded
    _summary(result, tools)
    return result


def _summary(result: JointResult, tools: Tools) -> None:
    """The joint walk's outcome in ``GITHUB_STEP_SUMMARY`` (each instance's deploy wrote step 1's)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    lines = [f"### scf deploy: joint rollout {result.phase}", ""]
    if result.reason:
        lines += [f"> {tools.reporter.scrub(result.reason)}", ""]
    lines += ["| instance | rollout | routing now |", "| --- | --- | --- |"]
    for name, state in result.states.items():
        routing = (result.outputs.get(name) or {}).get("routing", "")
        lines.append(f"| {name} | {state.phase}, version {state.candidate} over {state.stable} | {routing} |")
    try:
        append_text(target, "\n".join(lines) + "\n\n", "GITHUB_STEP_SUMMARY")
    except LocalWriteError as exc:
        not_written(tools.reporter, exc)


def _member(name: str, project: Project, connection: Connection, tools: Tools, lock: threading.Lock) -> Member:
    spec: RolloutSpec | None = rollout_spec(project.inputs)
    assert spec is not None  # joint_names only lists instances that declare a rollout
    typed = spec_for(project)
    fn = typed.function
    api = ScfApi(connection.transport(fn.region), fn.namespace)
    target = Target(api, fn.name, typed.release.alias, monitor_lag(connection.endpoint))
    reporter = InstanceReporter(tools.reporter, name, lock, tools.clock)
    own = tools.with_reporter(reporter)
    return Member(name, target, spec, RolloutRunner(target, spec, own, project.root), RolloutView(reporter))


def _record(project: Project, state: RolloutState, alias: AliasInfo | None) -> dict[str, Any] | None:
    """The final rollout state and the alias's routing now into the instance's outputs file (its deploy
    wrote step 1's): after a rollback the file says what the cloud serves, not the step-1 split."""
    path = outputs_path(project)
    if not path.is_file():
        return None
    outputs: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    outputs.update(traffic_fields(spec_for(project), alias, state.candidate))
    outputs["rollout"] = state_json(state)
    record_outputs(project, outputs)
    return outputs
