"""One deploy pipeline, composed by factories (after Chalice's deployer factories).

The stages (``component.deploy.stages``) are built once; every command that changes a function is a
composition of them, so a feature added to a stage is in every path by construction:

=====================  =====================================================================================
factory                stages
=====================  =====================================================================================
deploy                 load, package, read, plan function, plan service role, plan alias, plan settings,
                       plan triggers, plan API Gateway, execute, settle alias, prune, record, report
plan only (dry run)    load, package, read, plan function, plan service role, plan alias, plan settings,
                       plan triggers, plan API Gateway, show, preview alias
rollout                deploy with the alias stage replaced by the step walker
                       (``component.rollout.deploy.rollout_alias_stage``)
deletion (remove)      ``component.deploy.removal``: load, read, plan deletions, execute or show, forget
=====================  =====================================================================================

The *alias stage* is the one seam: how the alias write is planned, how the executor performs it, what
happens once the other writes are done (the walker walks its steps there) and what a dry run adds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from component.cloud.api import Transport
from component.config.project import Project
from component.deploy.context import Context, start
from component.deploy.executor import Executor
from component.deploy.roles import plan_role_stage
from component.deploy.stages import (
    HandlerFactory,
    Handlers,
    Stage,
    execute,
    package_code,
    plan_alias_stage,
    plan_function_stage,
    plan_gateway_stage,
    plan_settings_stage,
    plan_triggers_stage,
    prune,
    read_cloud,
    record,
    report,
    show_plan,
)
from component.records import Frozen
from component.tools import Tools


def _nothing(ctx: Context) -> None:
    return None


def _no_handlers(ctx: Context, executor: Executor) -> Handlers:
    return {}


@dataclass(frozen=True, eq=False, repr=False)
class AliasStage(Frozen):
    plan: Stage = plan_alias_stage  # plan the alias write
    handlers: HandlerFactory = _no_handlers  # how the executor performs it (default: PutAlias as planned)
    settle: Stage = _nothing  # once every other write is done
    preview: Stage = _nothing  # what a dry run says after the plan


PLAIN_ALIAS = AliasStage()


Loader = Callable[[Project, Callable[[str], Transport], Tools], Context]


@dataclass(frozen=True, eq=False, repr=False)
class Pipeline(Frozen):
    stages: tuple[tuple[str, Stage], ...]
    load: Loader = start  # the load stage: the desired state, once

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.stages)

    def run(self, project: Project, transport_for: Callable[[str], Transport], tools: Tools) -> Context:
        ctx = self.load(project, transport_for, tools)
        for _, stage in self.stages:
            stage(ctx)
        return ctx


def _planning(alias: AliasStage) -> tuple[tuple[str, Stage], ...]:
    return (
        ("package", package_code),
        ("read", read_cloud),
        ("plan function", plan_function_stage),
        ("plan service role", plan_role_stage),
        ("plan alias", alias.plan),
        ("plan settings", plan_settings_stage),
        ("plan triggers", plan_triggers_stage),
        ("plan API Gateway", plan_gateway_stage),
    )


def create_deploy_pipeline(alias: AliasStage = PLAIN_ALIAS) -> Pipeline:
    return Pipeline(
        (
            *_planning(alias),
            ("execute", execute(alias.handlers)),
            ("settle alias", alias.settle),
            ("prune", prune),
            ("record", record),
            ("report", report),
        )
    )


def create_plan_only_pipeline(alias: AliasStage = PLAIN_ALIAS) -> Pipeline:
    return Pipeline((*_planning(alias), ("show", show_plan), ("preview alias", alias.preview)))


def create_pipeline(*, dry_run: bool, alias: AliasStage = PLAIN_ALIAS) -> Pipeline:
    return create_plan_only_pipeline(alias) if dry_run else create_deploy_pipeline(alias)
