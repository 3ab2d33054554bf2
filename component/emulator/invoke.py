"""Invoke and InvokeFunction: qualifier resolution, routing, execution, metrics.

``Invoke`` defaults the qualifier to ``$LATEST``, ``InvokeFunction`` to ``$DEFAULT``.
An alias qualifier resolves through its RoutingConfig (rule match on ``RoutingKey``
first, else a seeded weighted draw).  The Log's first line names the version that ran:

    START RequestId: <uuid> Version: <N or $LATEST>

User code runs outside the backend lock so slow handlers do not block the API.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .base import DEFAULT_REGION, BackendBase
from .errors import ApiError
from .metrics import Invocation
from .models import DEFAULT_ALIAS, LATEST, Function, FunctionConfig
from .params import Params, opt_str
from .routing import choose_version
from .runner import Runner, RunOutcome

NOT_INVOKABLE = frozenset({"Creating", "CreateFailed", "Deleting"})
ROUTING_KEY_LIMIT = 1024


def _json_arg(raw: str, default: Any) -> Any:
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ApiError("InvalidParameterValue.Param") from exc


def _routing_key(params: Params) -> dict[str, str]:
    """RoutingKey: a JSON object of string keys and values, at most 1024 bytes (InvokeRequest's model doc)."""
    raw = opt_str(params, "RoutingKey", "")
    if len(raw.encode()) > ROUTING_KEY_LIMIT:
        raise ApiError("InvalidParameterValue", f"参数取值错误。RoutingKey exceeds {ROUTING_KEY_LIMIT} bytes.")
    value = _json_arg(raw, {})
    if not isinstance(value, dict):
        raise ApiError("InvalidParameterValue.Param")
    if not all(isinstance(v, str) for v in value.values()):
        raise ApiError("InvalidParameterValue", "参数取值错误。RoutingKey values must be strings.")
    return dict(value)


def _log(request_id: str, version: str, outcome: RunOutcome, memory: int) -> str:
    return (f"START RequestId: {request_id} Version: {version}\n"
            f"Event RequestId: {request_id}\n{outcome.output}"
            f"END RequestId: {request_id}\n"
            f"Report RequestId: {request_id} Duration:{outcome.duration_ms:.3f}ms Memory:{memory}MB")


class InvokeMixin(BackendBase):
    runner: Runner

    def invoke(self, region: str, params: Params) -> dict[str, Any]:
        qualifier = opt_str(params, "Qualifier", LATEST) or LATEST
        event = _json_arg(opt_str(params, "ClientContext", ""), {})
        return self._invoke(region, params, qualifier, event)

    def invoke_function(self, region: str, params: Params) -> dict[str, Any]:
        qualifier = opt_str(params, "Qualifier", DEFAULT_ALIAS) or DEFAULT_ALIAS
        event = _json_arg(opt_str(params, "Event", ""), {})
        return self._invoke(region, params, qualifier, event)

    def _resolve(self, fn: Function, qualifier: str, routing_key: dict[str, str]) -> tuple[str, str | None]:
        alias = fn.aliases.get(qualifier)
        if alias is not None:
            return choose_version(alias, routing_key, self.rng), alias.name
        if fn.config_for(qualifier) is None:
            raise ApiError("ResourceNotFound.Qualifier")
        return qualifier, None

    def _check_runnable(self, fn: Function, version: str) -> FunctionConfig:
        if version == LATEST:
            if fn.status in NOT_INVOKABLE:
                raise ApiError("FailedOperation.FunctionStatusError")
            return fn.latest
        found = fn.versions.get(version)
        if found is None:
            raise ApiError("ResourceNotFound.Qualifier")
        if found.status != "Active":
            raise ApiError("FailedOperation.FunctionVersionStatusNotActive")
        return found.config

    def _invoke(self, region: str, params: Params, qualifier: str, event: Any) -> dict[str, Any]:
        routing_key = _routing_key(params)
        with self.lock:
            fn = self.function(region, params)
            version, alias = self._resolve(fn, qualifier, routing_key)
            config = self._check_runnable(fn, version).copy()
            namespace, name = fn.namespace, fn.name
        request_id = str(uuid.uuid4())
        context = {"request_id": request_id, "function_name": name, "function_version": version,
                   "namespace": namespace, "memory_limit_in_mb": config.memory_size,
                   "time_limit_in_ms": config.timeout * 1000}
        outcome = self.runner.run(config, self.codes.get(config.code_sha256), event, context,
                                  (region or DEFAULT_REGION, namespace, name, version))
        self.metrics.add(Invocation(region or DEFAULT_REGION, namespace, name, version, alias, self.wall(),
                                    outcome.duration_ms, outcome.invoke_result != 0, outcome.status_code))
        result = {
            "Log": _log(request_id, version, outcome, config.memory_size), "RetMsg": outcome.ret_msg,
            "ErrMsg": outcome.err_msg, "MemUsage": 0, "Duration": round(outcome.duration_ms, 3),
            "BillDuration": max(1, int(outcome.duration_ms + 0.999)), "FunctionRequestId": request_id,
            "InvokeResult": outcome.invoke_result,
        }
        return {"Result": result, "ExecutedVersion": version}
