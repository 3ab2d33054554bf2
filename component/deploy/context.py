"""What the stages of one pipeline run share: the load stage builds it, every later stage fills it in.

``start`` is the *load* stage: it turns a loaded project into the typed desired state exactly once
(``spec_for``), and opens the API, the waiter and the API Gateway desired state that the other stages
read. Each plan stage writes its own slice (function, alias, triggers, API Gateway), so the plan a run
executes or shows is their concatenation in that order, whichever factory composed the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from component.cloud.api import AliasInfo, ScfApi, Transport
from component.config.project import Project
from component.deploy.apigw import GatewaySpec, RemoteService, gateway_specs
from component.deploy.executor import ExecutionResult
from component.deploy.instructions import CodeRef, Instruction, Plan
from component.deploy.remote import RemoteSnapshot
from component.deploy.spec import DeploySpec, build_spec
from component.deploy.transitions import TransitionHistory, history_path, shared_history_path
from component.deploy.waiter import Waiter
from component.errors import ScfError
from component.tools import Tools


def spec_for(project: Project) -> DeploySpec:
    """The typed desired state of ``project``: the one place inputs become a :class:`DeploySpec`."""
    return build_spec(project.inputs, root=project.root, instance=project.name, stage=project.stage, app=project.app)


def release_alias(spec: DeploySpec, override: str | None = None) -> str:
    """The alias a command acts on: ``--alias`` when given, else the spec's (``aliasName``, else ``$DEFAULT``).

    The one place this is decided; every command reads it from the typed spec, never from raw inputs.
    """
    return override or spec.release.alias


@dataclass
class Context:
    project: Project
    spec: DeploySpec
    tools: Tools
    api: ScfApi
    waiter: Waiter
    history: TransitionHistory  # how long this function's transitions took: the waiter's first poll
    gateways: tuple[GatewaySpec, ...] = ()  # the apigw events (none under ignoreTriggers)
    code: CodeRef = field(default_factory=CodeRef)
    zips: dict[str, bytes] = field(default_factory=dict)
    remote: RemoteSnapshot = field(default_factory=lambda: RemoteSnapshot(function=None))
    remote_gateways: dict[str, RemoteService | None] = field(default_factory=dict)
    function_steps: list[Instruction] = field(default_factory=list)
    alias_steps: list[Instruction] = field(default_factory=list)
    setting_steps: list[Instruction] = field(default_factory=list)  # async retry, provisioned concurrency
    trigger_steps: list[Instruction] = field(default_factory=list)
    gateway_steps: list[Instruction] = field(default_factory=list)
    deletions: list[Instruction] = field(default_factory=list)  # scf remove: APIs, services, the function
    candidate: str | None = None  # the version the alias shifts to: a number, NEW_VERSION or None
    warnings: list[str] = field(default_factory=list)
    result: ExecutionResult = field(default_factory=ExecutionResult)
    alias_after: AliasInfo | None = None  # the alias as it is after the run, when a stage re-read it
    extra_outputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] | None = None
    failure: ScfError | None = None  # raised after the outputs are recorded (a rolled-back rollout)

    @property
    def plan(self) -> Plan:
        steps = self.function_steps + self.alias_steps + self.setting_steps + self.trigger_steps
        steps += self.gateway_steps + self.deletions
        return Plan(tuple(steps), tuple(self.warnings), self.candidate)

    @property
    def header(self) -> dict[str, str]:
        fn = self.spec.function
        return {"function": fn.name, "region": fn.region, "namespace": fn.namespace}


def start(project: Project, transport_for: Callable[[str], Transport], tools: Tools) -> Context:
    """The load stage: desired state once, then the API of the function's region and namespace."""
    spec = spec_for(project)
    gateways = () if spec.ignore_triggers else gateway_specs(project.inputs, spec.function)
    return open_context(project, spec, gateways, transport_for, tools)


def open_context(
    project: Project,
    spec: DeploySpec,
    gateways: tuple[GatewaySpec, ...],
    transport_for: Callable[[str], Transport],
    tools: Tools,
) -> Context:
    fn = spec.function
    transport = transport_for(fn.region)
    api = ScfApi(transport, fn.namespace)
    history = TransitionHistory.load(history_path(project.root / ".serverless"))
    scope = getattr(transport, "scope", "")  # the kind of endpoint: what other projects learned applies here
    if scope:
        history.share(shared_history_path(), scope)
    waiter = Waiter(api, sleep=tools.sleep, clock=tools.clock, on_wait=tools.reporter.waited, history=history)
    return Context(project, spec, tools, api, waiter, history, gateways)
