"""Invoke and InvokeFunction: qualifier resolution, routing, execution, metrics.

``Invoke`` defaults the qualifier to ``$LATEST``, ``InvokeFunction`` to ``$DEFAULT``.
An alias qualifier resolves through its RoutingConfig (rule match on ``RoutingKey``
first, else a seeded weighted draw).  ``Log`` is empty unless ``LogType`` is ``Tail``, and then
holds the last 4 KB.  ``InvocationType: Event`` (Invoke only) is accepted after the qualifier is
checked and runs on a background thread: ``Log``, ``RetMsg`` and ``ErrMsg`` are empty, as the API
reference says for asynchronous calls.  Emulator extra (not in the cloud's answer): the log's
first line names the version that ran, ``START RequestId: <uuid> Version: <N or $LATEST>``, and
raw HTTP callers get a top-level ``ExecutedVersion``.

User code runs outside the backend lock so slow handlers do not block the API.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from component.emulator.cls.search import InvocationLog, topic_of
from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_str

from .invocations import Invocation
from .models import DEFAULT_ALIAS, LATEST, Function, FunctionConfig
from .routing import choose_version
from .runner import RunOutcome
from .store import DEFAULT_REGION, ScfStore

NOT_INVOKABLE = frozenset({"Creating", "CreateFailed", "Deleting"})
ROUTING_KEY_LIMIT = 1024
LOG_TAIL_BYTES = 4096
LOG_TYPES = ("None", "Tail")
INVOCATION_TYPES = ("RequestResponse", "Event")


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


def tail(log: str) -> str:
    """What ``LogType: Tail`` returns: the last 4 KB of the log, cut on a character boundary."""
    data = log.encode()
    return log if len(data) <= LOG_TAIL_BYTES else data[-LOG_TAIL_BYTES:].decode("utf-8", "ignore")


@dataclass(frozen=True)
class _Prepared:
    region: str
    namespace: str
    name: str
    version: str
    alias: str | None
    config: FunctionConfig
    request_id: str


def _log(request_id: str, version: str, outcome: RunOutcome, memory: int) -> str:
    return (f"START RequestId: {request_id} Version: {version}\n"
            f"Event RequestId: {request_id}\n{outcome.output}"
            f"END RequestId: {request_id}\n"
            f"Report RequestId: {request_id} Duration:{outcome.duration_ms:.3f}ms Memory:{memory}MB")


def invoke(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    qualifier = opt_str(params, "Qualifier", LATEST) or LATEST
    event = _json_arg(opt_str(params, "ClientContext", ""), {})
    kind = opt_str(params, "InvocationType", "RequestResponse") or "RequestResponse"
    if kind not in INVOCATION_TYPES:
        raise ApiError("InvalidParameterValue", f"参数取值错误。InvocationType must be one of {INVOCATION_TYPES}.")
    # Invoke documents no Qualifier code: a missing version is a bad parameter value there.
    missing = ApiError("InvalidParameterValue", f"参数取值错误。Qualifier `{qualifier}` does not exist.")
    return _answer(store, region, params, qualifier, event, missing, kind == "Event")


def invoke_function(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    qualifier = opt_str(params, "Qualifier", DEFAULT_ALIAS) or DEFAULT_ALIAS
    event = _json_arg(opt_str(params, "Event", ""), {})
    return _answer(store, region, params, qualifier, event, ApiError("ResourceNotFound.Qualifier"), False)


def _answer(store: ScfStore, region: str, params: Params, qualifier: str, event: Any, missing: ApiError,
            asynchronous: bool) -> dict[str, Any]:
    log_type = opt_str(params, "LogType", "None") or "None"
    if log_type not in LOG_TYPES:
        raise ApiError("InvalidParameterValue", f"参数取值错误。LogType must be one of {LOG_TYPES}.")
    prepared = _prepare(store, region, params, qualifier, missing)
    if asynchronous:  # accepted now, run later: the answer has no log, return value or figures
        worker = threading.Thread(target=_execute, args=(store, prepared, event), daemon=True,
                                  name=f"scf-async-{prepared.request_id[:8]}")
        store.background = [t for t in store.background if t.is_alive()] + [worker]
        worker.start()
        result = {"Log": "", "RetMsg": "", "ErrMsg": "", "MemUsage": 0, "Duration": 0.0, "BillDuration": 0,
                  "FunctionRequestId": prepared.request_id, "InvokeResult": 0}
        return {"Result": result, "ExecutedVersion": prepared.version}
    answer = _execute(store, prepared, event)
    log = str(answer["Result"]["Log"])
    answer["Result"]["Log"] = tail(log) if log_type == "Tail" else ""
    return answer


def invoke_qualifier(store: ScfStore, region: str, params: Params, qualifier: str, event: Any) -> dict[str, Any]:
    """The public invoke entry: a synchronous run with the full log (timers and API Gateway stages)."""
    return _execute(store, _prepare(store, region, params, qualifier, ApiError("ResourceNotFound.Qualifier")), event)


def _prepare(store: ScfStore, region: str, params: Params, qualifier: str, missing: ApiError) -> _Prepared:
    routing_key = _routing_key(params)
    with store.lock:
        fn = store.function(region, params)
        version, alias = _resolve(store, fn, qualifier, routing_key, missing)
        config = _check_runnable(store, fn, version, missing).copy()
        return _Prepared(region or DEFAULT_REGION, fn.namespace, fn.name, version, alias, config,
                         str(uuid.uuid4()))


def _execute(store: ScfStore, job: _Prepared, event: Any) -> dict[str, Any]:
    config = job.config
    context = {"request_id": job.request_id, "function_name": job.name, "function_version": job.version,
               "namespace": job.namespace, "memory_limit_in_mb": config.memory_size,
               "time_limit_in_ms": config.timeout * 1000}
    outcome = store.runner.run(config, store.codes.get(config.code_sha256), event, context,
                              (job.region, job.namespace, job.name, job.version))
    store.metrics.add(Invocation(job.region, job.namespace, job.name, job.version, job.alias, store.wall(),
                                outcome.duration_ms, outcome.invoke_result != 0, outcome.status_code))
    log = _log(job.request_id, job.version, outcome, config.memory_size)
    store.cls_logs.add(InvocationLog(
        job.region, topic_of(job.namespace, config.extra), job.namespace, job.name, job.version, job.alias,
        job.request_id, int(store.wall() * 1000), outcome.duration_ms, config.memory_size, outcome.status_code,
        outcome.invoke_result != 0, log, outcome.err_msg))
    result = {
        "Log": log, "RetMsg": outcome.ret_msg,
        "ErrMsg": outcome.err_msg, "MemUsage": 0, "Duration": round(outcome.duration_ms, 3),
        "BillDuration": max(1, int(outcome.duration_ms + 0.999)), "FunctionRequestId": job.request_id,
        "InvokeResult": outcome.invoke_result,
    }
    return {"Result": result, "ExecutedVersion": job.version}


def _resolve(store: ScfStore, fn: Function, qualifier: str, routing_key: dict[str, str],
             missing: ApiError) -> tuple[str, str | None]:
    alias = fn.aliases.get(qualifier)
    if alias is not None:
        return choose_version(alias, routing_key, store.rng), alias.name
    if fn.config_for(qualifier) is None:
        raise missing
    return qualifier, None


def _check_runnable(store: ScfStore, fn: Function, version: str, missing: ApiError) -> FunctionConfig:
    if version == LATEST:
        if fn.status in NOT_INVOKABLE:
            raise ApiError("FailedOperation.FunctionStatusError")
        return fn.latest
    found = fn.versions.get(version)
    if found is None:
        raise missing
    if found.status != "Active":
        raise ApiError("FailedOperation.FunctionStatusError", f"函数版本{version}状态为{found.status}，无法调用。")
    return found.config


def wait_background(store: ScfStore, timeout: float = 30.0) -> None:
    """Wait for the asynchronous (``InvocationType: Event``) runs started so far."""
    for worker in list(store.background):
        worker.join(timeout)
