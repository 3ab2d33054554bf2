"""The stages of the deploy pipeline, each built once and composed by ``component.deploy.pipeline``.

A stage takes the run's :class:`~component.deploy.context.Context` and fills in its own part: package
(local work only), read (one snapshot of the cloud), plan function, plan alias, plan triggers, plan API
Gateway (pure), then execute (the executor is the only writer), prune, record and report. The dry run
shows the same plan instead of executing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from component.deploy.apigw import plan_gateways, read_gateways
from component.deploy.apigw_handlers import gateway_outputs
from component.deploy.context import Context
from component.deploy.executor import DisplayOnlyExecutor, Executor
from component.deploy.instructions import NEW_VERSION, CodeRef
from component.deploy.outputs import build_outputs, save_locally
from component.deploy.planner import (
    plan_alias,
    plan_function,
    plan_settings,
    plan_spec_triggers,
    without_idle_checks,
)
from component.deploy.prune import plan_prune
from component.deploy.remote import read_remote
from component.deploy.spec import CosSource, DeploySpec, ImageSource
from component.deploy.transitions import history_path
from component.deploy.triggers import trigger_outputs
from component.errors import PackagingError, ScfError
from component.render import Reporter

if TYPE_CHECKING:
    from component.deploy.packager import CodePackage

Stage = Callable[[Context], None]
Handlers = Mapping[type, Callable[[Any], None]]
HandlerFactory = Callable[[Context, Executor], Handlers]


# -- package -------------------------------------------------------------------------------------
def package_code(ctx: Context) -> None:
    ctx.tools.reporter.step(f"packaging {_source_label(ctx.spec)}")
    ctx.code, ctx.zips = package(ctx.spec, ctx.tools.reporter)


def package(spec: DeploySpec, reporter: Reporter | None = None) -> tuple[CodeRef, dict[str, bytes]]:
    code = spec.function.code
    if isinstance(code, CosSource):
        return CodeRef(cos_bucket=code.bucket, cos_object=code.object), {}
    if isinstance(code, ImageSource):
        return CodeRef(image=tuple(sorted(code.config.items()))), {}
    from component.deploy.packager import INLINE_LIMITS, WebBootstrap, build_package
    from component.deploy.prepare import prepare_source

    prepare_source(code, reporter or Reporter())  # src inside the project; src.hook run, dist packaged
    bootstrap = None
    if spec.function.type == "web":
        bootstrap = WebBootstrap(runtime=spec.function.runtime, entry_file=spec.function.entry_file or "app.js")
    pkg = build_package(code.src, exclude=code.exclude, web_bootstrap=bootstrap, limits=INLINE_LIMITS)
    check_code_size(pkg)
    return CodeRef(sha256=pkg.sha256, size=pkg.size), {pkg.sha256: pkg.zip_bytes}


def check_code_size(pkg: CodePackage) -> None:
    """Refuse a package the API would reject before any call is made (bad input never reaches the cloud).

    The inline request limit (about 7.5 MiB of zip) is below both ZipFile limits (20 MiB for an update,
    50 MiB for a create), so whether the function exists does not change the verdict.
    """
    from component.deploy.packager import API_REQUEST_LIMIT, check_size, inline_request_size

    check_size(pkg, creating=True)
    if inline_request_size(pkg) > API_REQUEST_LIMIT:
        msg = (
            f"inputs.src: code package from {pkg.source} is {pkg.size / 2**20:.1f} MiB: sent inline as base64 "
            f"it exceeds the API's "
            f"{API_REQUEST_LIMIT // 2**20} MiB request limit; exclude files (node_modules, tests), move "
            "dependencies to a layer, or upload the zip to COS and deploy it with src: {bucket, object}"
        )
        raise PackagingError(msg)


def _source_label(spec: DeploySpec) -> str:
    code = spec.function.code
    if isinstance(code, ImageSource):
        return f"nothing: image {code.uri}"
    return f"cos://{code.bucket}/{code.object}" if isinstance(code, CosSource) else str(code.src)


# -- read ----------------------------------------------------------------------------------------
def read_cloud(ctx: Context) -> None:
    fn = ctx.spec.function
    ctx.tools.reporter.step(f"reading {fn.name} in {fn.region}/{fn.namespace}")
    ctx.remote = read_remote(ctx.api, ctx.waiter, ctx.spec, ctx.code)
    ctx.remote_gateways = read_gateways(ctx.api, ctx.gateways) if ctx.gateways else {}


# -- plan (pure) ---------------------------------------------------------------------------------
def plan_function_stage(ctx: Context) -> None:
    ctx.function_steps, ctx.candidate = plan_function(ctx.spec, ctx.remote, ctx.code)


def plan_alias_stage(ctx: Context) -> None:
    steps, warnings = plan_alias(ctx.spec, ctx.remote, ctx.candidate)
    ctx.alias_steps = steps
    ctx.function_steps = without_idle_checks(ctx.function_steps, steps)
    ctx.warnings += warnings


def plan_settings_stage(ctx: Context) -> None:
    steps, warnings = plan_settings(ctx.spec, ctx.remote, ctx.candidate)
    ctx.setting_steps = steps
    ctx.warnings += warnings


def plan_triggers_stage(ctx: Context) -> None:
    ctx.trigger_steps = plan_spec_triggers(ctx.spec, ctx.remote)


def plan_gateway_stage(ctx: Context) -> None:
    ctx.gateway_steps = plan_gateways(ctx.gateways, ctx.remote_gateways)


# -- show or execute -----------------------------------------------------------------------------
def show_plan(ctx: Context) -> None:
    _warn(ctx)
    DisplayOnlyExecutor(ctx.tools.reporter, **ctx.header).execute(ctx.plan)


def execute(handlers: HandlerFactory | None = None) -> Stage:
    """The execute stage; ``handlers`` replace the executor's for some instruction types (the rollout's
    step walker takes over ``PutAlias``)."""

    def stage(ctx: Context) -> None:
        _warn(ctx)
        executor = Executor(ctx.api, ctx.waiter, ctx.tools.reporter, ctx.zips)
        if handlers is not None:
            executor.override(handlers(ctx, executor))
        try:
            ctx.result = executor.execute(ctx.plan)
        except ScfError:
            ctx.history.save(history_path(ctx.project.root / ".serverless"))  # what the failed run learned
            raise

    return stage


def _warn(ctx: Context) -> None:
    for warning in ctx.warnings:
        ctx.tools.reporter.warn(warning)


def prune(ctx: Context) -> None:
    keep = ctx.spec.release.keep_versions
    if keep:
        Executor(ctx.api, ctx.waiter, ctx.tools.reporter, {}).execute(plan_prune(ctx.api, ctx.spec.function.name, keep))


# -- record and report ---------------------------------------------------------------------------
def record(ctx: Context) -> None:
    spec, remote, result = ctx.spec, ctx.remote, ctx.result
    function = result.last_function or remote.function or {}
    alias = ctx.alias_after or result.alias or remote.alias
    last_version = result.published_version if ctx.candidate == NEW_VERSION else ctx.candidate
    triggers = [] if spec.ignore_triggers else trigger_outputs(spec.triggers, remote.triggers, result.triggers)
    outputs = build_outputs(spec, function, ctx.code, alias, last_version, triggers)
    outputs["triggers"] += gateway_outputs(ctx.api, ctx.gateways)
    outputs.update(ctx.extra_outputs)
    ctx.history.save(history_path(ctx.project.root / ".serverless"))  # a hint only: False when not written
    save_locally(ctx.project, outputs, ctx.plan, ctx.tools.reporter)
    ctx.outputs = outputs


def report(ctx: Context) -> None:
    """The outputs (what the cloud holds, also after a rollback), then the failure if there was one."""
    if ctx.outputs is not None:
        reporter = ctx.tools.reporter
        context = {"elapsed": reporter.elapsed, "instance": ctx.project.name, "dry_run": False}
        if ctx.failure is not None:
            context["outcome"] = f"not deployed: {ctx.failure}"
        reporter.result(ctx.outputs, context)
    if ctx.failure is not None:
        raise ctx.failure
