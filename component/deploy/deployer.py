"""The deploy pipeline: load → validate → package → plan → execute → record outputs.

Loading and validation happen before this module is reached (``component.config``). Here: build the
desired state, package the code (local work only), read the cloud (``read_remote``), plan (pure),
then either execute the plan or print it. The dry run is this same pipeline with the display-only
executor, so what it shows is exactly what a deploy would do from the same state.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from component.cloud.api import ScfApi, Transport
from component.config.project import Project
from component.deploy.apigw import extend_plan
from component.deploy.apigw_run import gateway_outputs
from component.deploy.describe import plan_context
from component.deploy.executor import DisplayOnlyExecutor, Executor
from component.deploy.instructions import NEW_VERSION, CodeRef, Plan
from component.deploy.outputs import build_outputs
from component.deploy.planner import plan_deploy
from component.deploy.remote import RemoteSnapshot, read_remote
from component.deploy.spec import CosSource, DeploySpec, ImageSource, build_spec
from component.deploy.transitions import TransitionHistory, history_path
from component.deploy.triggers import trigger_outputs
from component.deploy.waiter import Waiter
from component.errors import LocalWriteError, PackagingError
from component.localfiles import append_text, not_written, write_atomic
from component.render import Reporter, render_template

if TYPE_CHECKING:
    from component.deploy.packager import CodePackage


@dataclass
class Tools:
    """Collaborators injected into every command (real ones from the CLI, fast ones in tests)."""

    reporter: Reporter
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    wall: Callable[[], float] = time.time  # wall-clock seconds: rollout metric windows and step start times


@dataclass(frozen=True)
class DeployResult:
    plan: Plan
    outputs: dict[str, Any] | None
    outputs_file: Path | None


def spec_for(project: Project) -> DeploySpec:
    return build_spec(project.inputs, root=project.root, instance=project.name, stage=project.stage, app=project.app)


def package(spec: DeploySpec) -> tuple[CodeRef, dict[str, bytes]]:
    code = spec.function.code
    if isinstance(code, CosSource):
        return CodeRef(cos_bucket=code.bucket, cos_object=code.object), {}
    if isinstance(code, ImageSource):
        return CodeRef(image=tuple(sorted(code.config.items()))), {}
    from component.deploy.packager import INLINE_LIMITS, WebBootstrap, build_package

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


def deploy(project: Project, transport: Transport, tools: Tools, *, dry_run: bool = False) -> DeployResult:
    spec = spec_for(project)
    reporter = tools.reporter
    reporter.step(f"packaging {_source_label(spec)}")
    code, zips = package(spec)
    api = ScfApi(transport, spec.function.namespace)
    history = TransitionHistory.load(history_path(project.root / ".serverless"))
    waiter = Waiter(api, sleep=tools.sleep, clock=tools.clock, on_wait=reporter.waited, history=history)
    reporter.step(f"reading {spec.function.name} in {spec.function.region}/{spec.function.namespace}")
    remote = read_remote(api, waiter, spec)
    plan = plan_deploy(spec, remote, code)
    plan = extend_plan(plan, api, project.inputs, spec.function)  # API Gateway (apigw events)
    for warning in plan.warnings:
        reporter.warn(warning)
    header = {"function": spec.function.name, "region": spec.function.region, "namespace": spec.function.namespace}
    if dry_run:
        DisplayOnlyExecutor(reporter, **header).execute(plan)
        return DeployResult(plan, None, None)
    executor = Executor(api, waiter, reporter, zips)
    result = executor.execute(plan)
    if spec.release.keep_versions:
        from component.release.operations import plan_prune

        executor.execute(plan_prune(api, spec.function.name, spec.release.keep_versions))
    function = result.last_function or remote.function or {}
    alias = result.alias or remote.alias
    last_version = result.published_version if plan.candidate == NEW_VERSION else plan.candidate
    triggers = [] if spec.ignore_triggers else trigger_outputs(spec.triggers, remote.triggers, result.triggers)
    outputs = build_outputs(spec, function, code, alias, last_version, triggers)
    outputs["triggers"] += gateway_outputs(api, project.inputs, spec.function)
    history.save(history_path(project.root / ".serverless"))  # a hint only: False when it cannot be written
    path = save_locally(project, outputs, plan, reporter)
    return DeployResult(plan, outputs, path)


def _source_label(spec: DeploySpec) -> str:
    code = spec.function.code
    if isinstance(code, ImageSource):
        return f"nothing: image {code.uri}"
    return f"cos://{code.bucket}/{code.object}" if isinstance(code, CosSource) else str(code.src)


def outputs_path(project: Project) -> Path:
    return project.root / ".serverless" / f"{project.name}.{project.stage}.outputs.json"


def record_outputs(project: Project, outputs: dict[str, Any]) -> Path:
    path = outputs_path(project)
    write_atomic(path, json.dumps(outputs, indent=2, default=str) + "\n", "the outputs file")
    return path


def write_step_summary(project: Project, outputs: dict[str, Any], plan: Plan) -> None:
    """Append the Markdown summary to ``GITHUB_STEP_SUMMARY``, read from the process environment only:
    a project's ``.env`` must not choose which file on the build machine we append to (SECURITY.md)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    text = render_template(
        "summary.md.j2", {"outputs": outputs, "stage": project.stage, "plan_lines": plan_context(plan)["lines"]}
    )
    append_text(target, text, "GITHUB_STEP_SUMMARY")


def save_locally(project: Project, outputs: dict[str, Any], plan: Plan, reporter: Reporter) -> Path | None:
    """Outputs file and step summary, after the cloud changed: a file that cannot be written is warned
    about and ends the command with exit 5 (:func:`component.localfiles.conclude`), never a traceback."""
    path: Path | None = None
    try:
        path = record_outputs(project, outputs)
    except LocalWriteError as exc:
        not_written(reporter, exc)
    try:
        write_step_summary(project, outputs, plan)
    except LocalWriteError as exc:
        not_written(reporter, exc)
    return path


__all__ = ["DeployResult", "RemoteSnapshot", "Tools", "deploy", "package", "spec_for"]
