"""Validate resolved ``inputs`` against ``schemas/scf.schema.json`` and a few cross-field rules.

The schema is the single description of what ``inputs`` may contain (the docs are generated from it).
Validation reports *every* problem at once, each located at the line of the offending key, so a user
fixes the file in one pass instead of one error per deploy. Rules that JSON Schema expresses badly
(two inputs that exclude each other, steps that must increase) are plain Python below and produce the
same kind of :class:`~component.errors.Problem`.

jsonschema is imported inside the functions: ``scf --version`` must not pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from component.config.ecma import ecma_regex
from component.config.messages import Message, messages_for
from component.config.quickcheck import VALID, verdict
from component.config.validcache import ValidationCache
from component.errors import Problem
from component.qualifiers import DEFAULT_ALIAS
from component.resources import data_dir

ROOT = "inputs"
SYNC_TIMEOUT_MAX = 900  # seconds; async-run functions may run up to 86400 (the schema's maximum)
ROLLOUT_AND_RULES = "rollout shifts traffic by weight and cannot be combined with rules"
TRAFFIC_AND_RULES = "traffic and rules cannot be used together: an alias routes either by weight or by rule"


@cache
def load_schema() -> dict[str, Any]:
    """The inputs schema (parsed once per process)."""
    schema: dict[str, Any] = json.loads((data_dir("schemas") / "scf.schema.json").read_text("utf-8"))
    return schema


def line_finder(line_of: Mapping[str, int]) -> Callable[[str], int | None]:
    """Return a lookup giving the line of a path, or of its nearest parent that has one."""

    def find(path: str) -> int | None:
        while path:
            if path in line_of:
                return line_of[path]
            path = _parent(path)
        return line_of.get("")

    return find


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


# Keys the Node component reads nowhere (old docs, other components' formats, a typo in an old doc):
# deployed with a warning saying where the setting lives here.
IGNORED_BY_NODE = {
    "codeUri": "did you mean 'src'?",
    "functionName": "did you mean 'name'?",
    "functionConf": "memorySize, timeout, environment … go directly under inputs",
    "apigatewayConf": "an API Gateway trigger is an entry of events: - apigw: {parameters: …}",
    "triggers": "did you mean 'events'?",
    "namesapce": "did you mean 'namespace'? (the function is deployed to namespace default)",
}
OWN_INPUTS = ("rollout", "rules")  # inputs the Node component does not have: no key in them is ignorable
Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Checked:
    """The outcome of checking inputs: refusals, and unknown keys that are only ignored (warnings)."""

    problems: list[Problem]
    ignored: list[Problem] = field(default_factory=list)
    ignored_at: list[Location] = field(default_factory=list)  # where each ignored key sits in inputs


def validate_inputs(inputs: Any, *, file: Path, line_of: Mapping[str, int]) -> list[Problem]:
    """Every problem with *inputs*, sorted by line then path (empty list when valid)."""
    return check_inputs(inputs, file=file, line_of=line_of).problems


def check_inputs(
    inputs: Any, *, file: Path, line_of: Mapping[str, int], cache: ValidationCache | None = None
) -> Checked:
    """Validate *inputs*; an unknown key is a problem when it is clearly one of ours mistyped, else ignored.

    The rule (docs/compatibility.md): the Node component silently ignores every key it does not read,
    so a file written for it may hold keys we do not know. Such a key deploys with a warning naming
    it. But a key that is close to one of the keys allowed at that place (``trafic``, ``Timeout``)
    means the user wanted that setting: ignoring it would deploy something else than the file says,
    so it stays an error (exit 2) before any call.

    With a *cache*, inputs that passed before with the same content and schema skip the schema pass
    (and the jsonschema import); the cross-field rules run either way (``validcache``).
    """
    find = line_finder(line_of)
    digest = cache.digest(inputs) if cache is not None else None
    if cache is not None and digest is not None and cache.known(digest):
        return Checked(_cross_field(inputs, file, find, {}))
    if verdict(inputs, load_schema()) == VALID:  # clean inputs need no jsonschema import (quickcheck)
        checked = Checked(_cross_field(inputs, file, find, {}))
    else:
        checked = _check_schema(inputs, file, find)
    if cache is not None and digest is not None and not checked.problems and not checked.ignored:
        cache.remember(digest)
    return checked


def _check_schema(inputs: Any, file: Path, find: Callable[[str], int | None]) -> Checked:
    validator = _validator_class()(load_schema())
    problems: dict[tuple[str, str], Problem] = {}
    ignored: dict[str, tuple[Location, Problem]] = {}
    for error in validator.iter_errors(inputs):
        for msg in messages_for(error, ROOT):
            if msg.unknown is not None and _ignorable(msg):
                ignored.setdefault(msg.path, (msg.unknown, _ignored_warning(msg, str(file), find(msg.path))))
                continue
            problem = Problem(msg.path, msg.text, file=str(file), line=find(msg.path), hint=msg.hint)
            problems.setdefault((msg.path, msg.text), problem)
    kept = _cross_field(inputs, file, find, problems)
    return Checked(kept, [w for _, w in ignored.values()], [where for where, _ in ignored.values()])


@cache
def _validator_class() -> Any:
    """Draft 2020-12 with ECMA-262's ``$`` in ``pattern`` (``component.config.ecma``)."""
    from jsonschema import Draft202012Validator, validators  # lazy: keep `scf --version` fast
    from jsonschema.exceptions import ValidationError

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not ecma_regex(patrn).search(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})  # type: ignore[no-untyped-call]


def _cross_field(
    inputs: Any, file: Path, find: Callable[[str], int | None], problems: dict[tuple[str, str], Problem]
) -> list[Problem]:
    """*problems* plus the rules a schema cannot state, sorted."""
    if isinstance(inputs, dict):
        for path, text in cross_field_problems(inputs):
            problems.setdefault((path, text), Problem(path, text, file=str(file), line=find(path)))
    return sort_problems(list(problems.values()))


def _ignorable(msg: Message) -> bool:
    """Whether the Node component would silently ignore this unknown key (see :func:`check_inputs`).

    Not for a trigger type (the toolkit refuses an unknown one) nor inside the inputs only this tool
    reads (``rollout``, ``rules``): there an unknown key can only be a mistake.
    """
    where = msg.unknown or ()
    if where and str(where[-1]) in IGNORED_BY_NODE:
        return True
    if msg.misspelling or msg.noun == "trigger type":
        return False
    return not (where and str(where[0]) in OWN_INPUTS)


def _ignored_warning(msg: Message, file: str, line: int | None) -> Problem:
    key = str(msg.unknown[-1]) if msg.unknown else ""
    hint = IGNORED_BY_NODE.get(key, msg.hint)
    text = f"{msg.text} is ignored (the Node component ignores it too)"
    return Problem(msg.path, text, file=file, line=line, hint=hint)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Deterministic order: by line (unlocated last), then path, then message."""
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.path, p.message))


def cross_field_problems(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, message) for rules spanning several inputs."""
    found: list[tuple[str, str]] = []
    alias = inputs.get("aliasName", DEFAULT_ALIAS)
    if "traffic" in inputs and "rules" in inputs:
        found.append((f"{ROOT}.rules", TRAFFIC_AND_RULES))
    if "rules" in inputs and alias == DEFAULT_ALIAS:
        found.append((f"{ROOT}.rules", "rules need a named alias: set aliasName (e.g. prepub), not $DEFAULT"))
    for other in ("traffic", "rules"):
        if other in inputs and "additionalVersionWeights" in inputs:
            message = f"{other} and additionalVersionWeights cannot be used together"
            found.append((f"{ROOT}.additionalVersionWeights", message))
    if "rules" in inputs and "rollout" in inputs:
        found.append((f"{ROOT}.rollout", ROLLOUT_AND_RULES))
    timeout = inputs.get("timeout")
    if isinstance(timeout, int) and timeout > SYNC_TIMEOUT_MAX and inputs.get("asyncRunEnable") is not True:
        message = f"must be at most {SYNC_TIMEOUT_MAX} unless asyncRunEnable is true (then up to 86400), got {timeout}"
        found.append((f"{ROOT}.timeout", message))
    found += _rollout_step_problems(inputs.get("rollout"))
    return found


def _rollout_step_problems(rollout: Any) -> list[tuple[str, str]]:
    if not isinstance(rollout, dict) or not isinstance(rollout.get("steps"), list):
        return []
    found: list[tuple[str, str]] = []
    previous: float | None = None
    for index, step in enumerate(rollout["steps"]):
        share = step.get("traffic") if isinstance(step, dict) else step
        if not isinstance(share, int | float) or isinstance(share, bool) or not 0 < share <= 1:
            continue
        if previous is not None and share <= previous:
            message = f"must be greater than the previous step ({previous})"
            found.append((f"{ROOT}.rollout.steps[{index}]", message))
        previous = share
    return found
