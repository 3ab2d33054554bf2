"""Load a project: ``serverless.yml`` + ``.env`` files + CLI overrides → a validated :class:`Project`.

This is the one entry point the CLI and the deploy pipeline use. The order of steps follows the Tencent CLI
(reference §7, §8) so existing projects behave the same: the stage is settled first (CLI ``--stage``,
else the YAML ``stage``, which may itself be ``${env:STAGE}``, else ``dev``), because it selects the
``.env.<stage>`` files; then ``--inputs`` overrides are merged into ``inputs``; then variables are
resolved; then the result is validated against the schema. Every step reports all of its problems
at once, located by file and line, and nothing in a message reveals an environment variable's value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from component.config.compat import normalize_inputs
from component.config.envfiles import merged_env
from component.config.limits import limit_problems
from component.config.messages import did_you_mean
from component.config.validate import Location, check_inputs, line_finder, load_schema, sort_problems
from component.config.validcache import ValidationCache
from component.config.variables import Context, OutputResolver, resolve, unresolved_paths
from component.config.yamlfile import join_path, load_yaml
from component.errors import ConfigError, Problem

FILE_NAMES = ("serverless.yml", "serverless.yaml")
TOP_LEVEL_KEYS = ("component", "name", "org", "app", "stage", "inputs", "commandInputs")
_ENV_USE = re.compile(r"\$\{\s*env:")
UNRESOLVED = "still holds '${' after every variable was resolved: it would be deployed as literal text"
_GOT = re.compile(r"(, got .*| \(got .*\))$")


@dataclass(frozen=True)
class Project:
    """A loaded, resolved and validated serverless.yml instance."""

    file: Path
    root: Path
    component: str
    name: str
    org: str
    app: str
    stage: str
    inputs: Mapping[str, Any]
    env: Mapping[str, str]
    line_of: Mapping[str, int]
    warnings: tuple[Problem, ...] = ()  # accepted but worth saying: ignored keys, reshaped values


def find_config_file(target: Path) -> Path:
    """*target* itself if it is a file, else the serverless.yml (or .yaml) inside it."""
    target = target.expanduser().resolve()
    if target.is_file():
        return target
    for name in FILE_NAMES:
        if (target / name).is_file():
            return target / name
    where = target if target.is_dir() else f"{target} (no such folder)"
    hint = "run scf in the project folder or pass it as the target"
    raise ConfigError(Problem("", f"no serverless.yml found in {where}", hint=hint))


def load_project(
    target: Path,
    *,
    stage: str | None = None,
    app: str | None = None,
    org: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    outputs: OutputResolver | None = None,
) -> Project:
    """Read, resolve and validate the project at *target*; raise ConfigError listing every problem.

    *outputs* resolves ``${output:...}`` (multi-instance runs); without it such a variable is an error.
    """
    file = find_config_file(target)
    data, line_of = load_yaml(file)
    top = _Top(file, data, line_of, os.environ if environ is None else environ)
    fields = top.fields(stage=stage, app=app, org=org)
    env = merged_env(file.parent, fields["stage"], top.environ)
    inputs, forced = _merge_overrides(top.inputs(), overrides or {})
    lines = {k: v for k, v in line_of.items() if not _under_any(k, forced)}
    ctx = Context(env=env, fields=fields, file=str(file), line_at=top.line_at, outputs=outputs)
    resolved = resolve(inputs, "inputs", ctx, top.problems)
    top.raise_if_any(forced)
    for path in unresolved_paths(resolved, "inputs"):  # the last guard: never deploy ${...} text
        top.problem(path, UNRESOLVED, hint="a value read from the environment or an output may itself contain it")
    top.raise_if_any(forced)
    resolved, reshaped = normalize_inputs(resolved)
    cache = ValidationCache.for_project(file.parent / ".serverless")
    checked = check_inputs(resolved, file=file, line_of=lines, cache=cache)
    for where in checked.ignored_at:
        _remove(resolved, where)
    problems = checked.problems + _default_name_problems(resolved, fields, file, top.line_at)
    flagged = {p.path for p in problems}
    find = line_finder(lines)
    for path, message, hint in limit_problems(resolved):  # one problem per place: the schema's first
        if not _under_any(path, flagged) and not any(_under_any(f, {path}) for f in flagged):
            problems.append(Problem(path, message, str(file), find(path), hint))
    if problems:
        secret_paths = _env_paths(inputs, "inputs")
        raise ConfigError(sort_problems([_clean(p, forced, secret_paths) for p in problems]))
    warnings = [Problem(path, text, str(file), top.line_at(path)) for path, text in reshaped] + checked.ignored
    return _project(file, fields, resolved, env, lines, warnings)


IDENTITY_INPUTS = ("name", "region", "namespace", "events")


def load_identity(
    target: Path,
    *,
    stage: str | None = None,
    app: str | None = None,
    org: str | None = None,
    environ: Mapping[str, str] | None = None,
    ignored: Sequence[Problem] = (),
) -> Project:
    """Just enough of the project to find what it deployed (``scf remove``), whatever else is wrong.

    The top-level fields and ``inputs.name``/``region``/``namespace`` are resolved and must be right;
    ``events`` (to find the API Gateway APIs to delete) is kept only when it resolves cleanly. Nothing else
    is read or validated; ``ignored`` (the full load's problems) become warnings.
    """
    file = find_config_file(target)
    data, line_of = load_yaml(file)
    top = _Top(file, data, line_of, os.environ if environ is None else environ)
    fields = top.fields(stage=stage, app=app, org=org)
    top.problems = [p for p in top.problems if p.path in ("component", "name", "stage", "app", "org")]
    env = merged_env(file.parent, fields["stage"], top.environ)
    raw = top.inputs()
    ctx = Context(env=env, fields=fields, file=str(file), line_at=top.line_at)
    inputs: dict[str, Any] = {}
    for key in IDENTITY_INPUTS:
        if raw.get(key) is None:
            continue
        found: list[Problem] = []
        value = resolve(raw[key], f"inputs.{key}", ctx, found)
        if key != "events":
            top.problems += found
            inputs[key] = value
        elif not found and not unresolved_paths(value, "inputs.events") and not _touches(ignored, "inputs.events"):
            inputs[key] = value
    top.raise_if_any(set())
    warnings = [replace(p, message=f"{p.message} (not needed to remove: ignored)") for p in ignored]
    return _project(file, fields, inputs, env, line_of, warnings)


def _project(
    file: Path,
    fields: Mapping[str, str],
    inputs: Mapping[str, Any],
    env: Mapping[str, str],
    line_of: Mapping[str, int],
    warnings: Sequence[Problem],
) -> Project:
    return Project(
        file=file,
        root=file.parent,
        component=fields["component"],
        name=fields["name"],
        org=fields["org"],
        app=fields["app"],
        stage=fields["stage"],
        inputs=inputs,
        env=env,
        line_of=line_of,
        warnings=tuple(warnings),
    )


def _touches(problems: Sequence[Problem], path: str) -> bool:
    return any(p.path == path or p.path.startswith((f"{path}.", f"{path}[")) for p in problems)


def _remove(data: Any, where: Location) -> None:
    """Delete the key at *where* (a path of keys and indexes below ``inputs``)."""
    for step in where[:-1]:
        data = data[step]
    data.pop(where[-1], None)


def _default_name_problems(
    inputs: Mapping[str, Any], fields: Mapping[str, str], file: Path, line_at: Callable[[str], int | None]
) -> list[Problem]:
    """Without ``inputs.name`` the function is ``${name}-${stage}-${app}``: check it like a given name."""
    if not isinstance(inputs, Mapping) or inputs.get("name") is not None:
        return []
    name = f"{fields['name']}-{fields['stage']}-{fields['app']}"
    rule = load_schema()["properties"]["name"]
    if re.fullmatch(rule["pattern"], name):
        return []
    message = f"the default function name {name!r} (${{name}}-${{stage}}-${{app}}) is invalid: {rule['x-message']}"
    hint = "set inputs.name, or use a stage and app of letters, digits, _ or -"
    return [Problem("inputs.name", message, str(file), line_at("inputs"), hint)]


class _Top:
    """The top-level keys of the document, checked and resolved, with the problems found so far."""

    def __init__(self, file: Path, data: Any, line_of: Mapping[str, int], environ: Mapping[str, str]) -> None:
        self.file, self.environ = file, environ
        self.line_at = line_finder(line_of)
        self.problems: list[Problem] = []
        if not isinstance(data, dict):
            raise ConfigError(Problem("", "must be a mapping with component, name and inputs", str(file), 1))
        self.data: dict[str, Any] = data
        self._check_keys()

    def problem(self, path: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path, message, str(self.file), self.line_at(path), hint))

    def _check_keys(self) -> None:
        for key in self.data:
            if key not in TOP_LEVEL_KEYS:
                self.problem(key, f"unknown top-level key {key!r}", did_you_mean(key, list(TOP_LEVEL_KEYS)))

    def fields(self, *, stage: str | None, app: str | None, org: str | None) -> dict[str, str]:
        base_env = merged_env(self.file.parent, None, self.environ)
        component = self._text("component", None, required=True, env=base_env)
        if component and component != "scf" and not component.startswith("scf@"):
            self.problem("component", f"this tool deploys the scf component only, got {component!r}")
        name = self._text("name", None, required=True, env=base_env)
        stage_value = self._text("stage", stage, env=base_env) or "dev"
        stage_env = merged_env(self.file.parent, stage_value, self.environ)
        return {
            "component": component,
            "name": name,
            "stage": stage_value,
            "app": self._text("app", app, env=stage_env) or name,
            "org": self._text("org", org, env=stage_env),
        }

    def _text(self, key: str, cli: str | None, *, env: Mapping[str, str], required: bool = False) -> str:
        if cli is not None:
            return cli
        value = self.data.get(key)
        if value is None or value == "":  # `app: ''` means "default", as in the Node CLI
            if required:
                self.problem(key, "is required", hint=f"add `{key}:` at the top of the file")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(key, f"must be a non-empty string, got {type(value).__name__}")
            return ""
        ctx = Context(env=env, fields={}, file=str(self.file), line_at=self.line_at)
        return str(resolve(str(value), key, ctx, self.problems))

    def inputs(self) -> dict[str, Any]:
        value = self.data.get("inputs")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem("inputs", "must be a mapping of input names to values")
            return {}
        return value

    def raise_if_any(self, forced: set[str]) -> None:
        if self.problems:
            raise ConfigError(sort_problems([_clean(p, forced, set()) for p in self.problems]))


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge *override* into a copy of *base*: mappings recursively, anything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def _merge_overrides(inputs: dict[str, Any], overrides: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    if not overrides:
        return inputs, set()
    return deep_merge(inputs, overrides), set(_leaf_paths(overrides, "inputs"))


def _leaf_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, dict) and value:
        return [p for k, v in value.items() for p in _leaf_paths(v, join_path(path, k))]
    return [path]


def _under_any(path: str, roots: set[str]) -> bool:
    return any(path == r or path.startswith((r + ".", r + "[")) for r in roots)


def _env_paths(value: Any, path: str) -> set[str]:
    """Paths of strings that use ``${env:...}``: their resolved values must never be shown."""
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in _env_paths(v, join_path(path, k))}
    if isinstance(value, list):
        return {p for i, v in enumerate(value) for p in _env_paths(v, join_path(path, i))}
    return {path} if isinstance(value, str) and _ENV_USE.search(value) else set()


def _clean(problem: Problem, forced: set[str], secret_paths: set[str]) -> Problem:
    """Point problems in CLI-overridden values at ``--inputs`` and hide values read from the environment."""
    message = problem.message
    if problem.path in secret_paths:
        message = _GOT.sub("", message) + " (the value comes from ${env:...} and is not shown)"
    if _under_any(problem.path, forced):
        return Problem(problem.path, message, file="--inputs", line=None, hint=problem.hint)
    return Problem(problem.path, message, problem.file, problem.line, problem.hint)
