"""The published-API contract every emulator answer is checked against (issue #14).

The source of truth is what Tencent ships, read at check time so it cannot drift:

* success bodies: the official SDK's ``<Action>Response`` model in ``tencentcloud/<svc>/<ver>/models.py``.
  The model's ``__init__`` docstring declares each field (``:param _Name:`` … ``:type Name: T``); a field
  whose description says ``此字段可能返回 null`` may be absent or null, every other field must be present
  with the declared JSON type; nested ``:class:`` objects and ``list of`` items are checked the same way;
  a field the model does not declare is a violation unless it is listed in :data:`EXTRAS`.
* errors: the code must be one of the service's ``errorcodes.py`` values or a common API 3.0 code, and,
  where Tencent documents the action's codes (the Go SDK's per-action comments, extracted into
  ``documented_errors.json``), one of those.

:func:`check_reply` returns the list of violations (empty when the answer conforms).  The emulator calls
it for every answer when a :class:`ContractRecorder` is installed (``SCF_EMULATOR_CONTRACT_DIR``; the
pytest plugin turns it on for the test suite).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

MODULES = {"scf": "tencentcloud.scf.v20180416", "monitor": "tencentcloud.monitor.v20180724",
           "apigateway": "tencentcloud.apigateway.v20180808", "cls": "tencentcloud.cls.v20201016",
           "tag": "tencentcloud.tag.v20180813", "cam": "tencentcloud.cam.v20190116"}
NULL_NOTE = "可能返回 null"
# Fields the emulator adds on purpose, beyond the model (documented in docs/fidelity.md).
EXTRAS: frozenset[tuple[str, str]] = frozenset({
    ("InvokeResponse", "ExecutedVersion"),  # raw-HTTP callers only; the SDK model drops it
    ("InvokeFunctionResponse", "ExecutedVersion"),
})
# Request fields the service accepts though the SDK's request model does not declare them: the Node
# component's toolkit (tencent-component-toolkit 2.27, scf/entities/scf `get` and scf/utils `formatInputs`)
# sends them on every deploy. Accepted at the top level of these actions only, and ignored.
UNDECLARED_PARAMS: dict[tuple[str, str], frozenset[str]] = {
    ("scf", "GetFunction"): frozenset({"ShowTriggers"}),
    ("scf", "CreateFunction"): frozenset({"DeployMode", "DiskSize", "L5Enable"}),
    ("scf", "UpdateFunctionConfiguration"): frozenset({"DiskSize"}),
}
# API 3.0 gateway-level codes, valid for every action (Tencent's "公共错误码" page).
COMMON_CODES = frozenset({
    "ActionOffline", "AuthFailure.InvalidAuthorization", "AuthFailure.InvalidSecretId", "AuthFailure.MFAFailure",
    "AuthFailure.SecretIdNotFound", "AuthFailure.SignatureExpire", "AuthFailure.SignatureFailure",
    "AuthFailure.TokenFailure", "AuthFailure.UnauthorizedOperation", "DryRunOperation", "FailedOperation",
    "InternalError", "InvalidAction", "InvalidParameter", "InvalidParameterValue", "InvalidRequest",
    "IpInBlacklist", "IpNotInWhitelist", "LimitExceeded", "MissingParameter", "NoSuchProduct", "NoSuchVersion",
    "RequestLimitExceeded", "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    "RequestLimitExceeded.IPLimitExceeded", "RequestLimitExceeded.UinLimitExceeded", "RequestSizeLimitExceeded",
    "ResourceInUse", "ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable", "ResponseSizeLimitExceeded",
    "ServiceUnavailable", "UnauthorizedOperation", "UnknownParameter", "UnsupportedOperation",
    "UnsupportedProtocol", "UnsupportedRegion",
})
_PARAM = re.compile(r":param _(\w+):(.*?):type \1:\s*([^\n]*)", re.S)
_CLASS = re.compile(r":class:`[\w.]+\.(\w+)`")
_SCALARS: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # "str" | "int" | "float" | "bool" | a model class name
    is_list: bool
    nullable: bool


@cache
def model_fields(service: str, model: str) -> dict[str, FieldSpec]:
    """The fields of one SDK model class, read from its ``__init__`` docstring."""
    module = importlib.import_module(f"{MODULES[service]}.models")
    doc = getattr(module, model).__init__.__doc__ or ""
    fields: dict[str, FieldSpec] = {}
    for name, description, raw_type in _PARAM.findall(doc):
        text = raw_type.strip()
        is_list = text.startswith("list of ")
        text = text[len("list of "):].split()[0] if is_list else text
        found = _CLASS.search(text)
        fields[name] = FieldSpec(name, found.group(1) if found else text, is_list, NULL_NOTE in description)
    return fields


@cache
def service_codes(service: str) -> frozenset[str]:
    module = importlib.import_module(f"{MODULES[service]}.errorcodes")
    return frozenset(v for k, v in vars(module).items() if k.isupper() and isinstance(v, str))


@cache
def documented_codes() -> dict[str, dict[str, list[str]]]:
    data = json.loads((Path(__file__).parent / "documented_errors.json").read_text(encoding="utf-8"))
    services: dict[str, dict[str, list[str]]] = data["services"]
    return services


def unknown_parameters(service: str, action: str, params: dict[str, Any]) -> list[str]:
    """Request parameters (at any depth) the action's SDK ``<Action>Request`` model does not declare, except
    the :data:`UNDECLARED_PARAMS` the service is known to accept."""
    try:
        model_fields(service, f"{action}Request")
    except (AttributeError, ImportError, KeyError):
        return []
    accepted = UNDECLARED_PARAMS.get((service, action), frozenset())
    found: list[str] = []
    top = {name: value for name, value in params.items() if name not in accepted}
    stack: list[tuple[str, str, Any]] = [(f"{action}Request", "", top)]
    while stack:
        model, path, value = stack.pop()
        if not isinstance(value, dict):
            continue
        fields = model_fields(service, model)
        for name, item in value.items():
            spec = fields.get(name)
            if spec is None:
                found.append(f"{path}{name}")
            elif spec.type not in _SCALARS:
                items = item if spec.is_list and isinstance(item, list) else [item]
                stack.extend((spec.type, f"{path}{name}.", child) for child in items)
    return sorted(found)


def _type_ok(value: Any, kind: str) -> bool:
    allowed = _SCALARS.get(kind)
    if allowed is None:
        return isinstance(value, dict)
    return isinstance(value, allowed) and (kind == "bool" or not isinstance(value, bool))


def _check_value(service: str, spec: FieldSpec, value: Any, path: str, out: list[str]) -> None:
    items = value if spec.is_list else [value]
    if spec.is_list and not isinstance(value, list):
        out.append(f"{path}: expected a list of {spec.type}, got {type(value).__name__}")
        return
    for index, item in enumerate(items):
        where = f"{path}[{index}]" if spec.is_list else path
        if not _type_ok(item, spec.type):
            out.append(f"{where}: expected {spec.type}, got {type(item).__name__}")
        elif spec.type not in _SCALARS:
            check_model(service, spec.type, item, where, out)


def check_model(service: str, model: str, data: dict[str, Any], path: str, out: list[str]) -> None:
    """Append to ``out`` every way ``data`` differs from the SDK model ``model``."""
    fields = model_fields(service, model)
    for name, spec in fields.items():
        value = data.get(name)
        if value is None:
            if not spec.nullable:
                out.append(f"{path}.{name}: missing ({model} does not document it as possibly null)")
            continue
        _check_value(service, spec, value, f"{path}.{name}", out)
    for name in data:
        if name not in fields and (model, name) not in EXTRAS:
            out.append(f"{path}.{name}: not declared by {model}")


def check_error(service: str, action: str, code: str) -> list[str]:
    if code in COMMON_CODES:
        return []
    if code not in service_codes(service):
        return [f"Error.Code {code!r} is not in {MODULES[service]}.errorcodes"]
    documented = documented_codes().get(service, {}).get(action)
    if documented is not None and code not in documented:
        return [f"Error.Code {code!r} is not documented for {action}"]
    return []


@cache
def _plan(service: str, model: str) -> tuple[frozenset[str], tuple[tuple[str, str, bool, bool], ...]]:
    """A model's declared names and (name, type, is_list, nullable) rows, for the fast path."""
    fields = model_fields(service, model)
    return frozenset(fields), tuple((f.name, f.type, f.is_list, f.nullable) for f in fields.values())


def conforms(service: str, model: str, data: dict[str, Any]) -> bool:
    """Whether ``data`` matches the model; the fast path of :func:`check_reply` (no messages built)."""
    stack: list[tuple[str, dict[str, Any]]] = [(model, data)]
    while stack:
        name, obj = stack.pop()
        declared, rows = _plan(service, name)
        if not declared.issuperset(obj) and any(key not in declared and (name, key) not in EXTRAS for key in obj):
            return False
        for field, kind, is_list, nullable in rows:
            value = obj.get(field)
            if value is None:
                if nullable:
                    continue
                return False
            items = value if is_list else (value,)
            if is_list and not isinstance(value, list):
                return False
            for item in items:
                if not _type_ok(item, kind):
                    return False
                if kind not in _SCALARS:
                    stack.append((kind, item))
    return True


def check_reply(service: str, action: str, response: dict[str, Any]) -> list[str]:
    """Violations of the published contract in one ``Response`` object (RequestId included)."""
    error = response.get("Error")
    if isinstance(error, dict):
        return check_error(service, action, str(error.get("Code")))
    if conforms(service, f"{action}Response", response):
        return []
    out: list[str] = []
    check_model(service, f"{action}Response", response, "Response", out)
    return out


class ContractRecorder:
    """Checks every answer; records violations (and the actions answered) as JSON lines in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self.seen: set[tuple[str, str, str]] = set()  # (service, action, "ok" or the error code)

    @classmethod
    def from_environment(cls) -> ContractRecorder | None:
        folder = os.environ.get("SCF_EMULATOR_CONTRACT_DIR")
        return cls(Path(folder)) if folder else None

    def observe(self, service: str, action: str, response: dict[str, Any]) -> None:
        if service not in MODULES:
            return
        try:
            problems = check_reply(service, action, response)
        except (AttributeError, ImportError) as exc:  # an action the installed SDK does not model
            problems = [f"no SDK model for {service} {action}: {exc}"]
        error = response.get("Error")
        with self._lock:
            self.seen.add((service, action, str(error.get("Code")) if isinstance(error, dict) else "ok"))
        if problems:
            self._write({"service": service, "action": action, "problems": problems})

    def _write(self, record: dict[str, Any]) -> None:
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / f"violations-{os.getpid()}.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_violations(folder: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(folder.glob("**/violations-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line))
    return found
