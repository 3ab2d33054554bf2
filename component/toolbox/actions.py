"""The Node component's actions (``serverless.component.yml`` ``actions``) as ``scf`` commands.

Same inputs and output fields as the component records them (reference §6), without its bugs: an API
error is an error (exit 3), never a returned ``{requestId, message}``; ``list_alias`` shows every
weight exactly (not the first one rounded with ``toFixed(1)``); ``create_alias``/``update_alias`` send
every entry of ``config.weights``; ``namespace`` is honoured by every action; ``invoke`` runs
synchronously with the log unless ``asyncRun=true`` (the reference had the two inverted).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from component.errors import InvocationFailed, ScfError
from component.toolbox import inputs as read
from component.toolbox.target import Session
from component.tools import Tools


@dataclass(frozen=True)
class Outcome:
    document: Any  # what the component returned: printed as JSON with --json, else in its layout
    failure: ScfError | None = None  # raised after the document is printed (invoke: user code raised)


def _fn(session: Session, **extra: Any) -> dict[str, Any]:
    params = {"FunctionName": session.target.function, "Namespace": session.target.namespace}
    params.update({k: v for k, v in extra.items() if v is not None})
    return params


def publish_ver(session: Session, inputs: Mapping[str, Any], tools: Tools) -> Outcome:
    from component.deploy.waiter import Waiter

    body = session.api.scf("PublishVersion", _fn(session, Description=read.text(inputs, "description", "")))
    version = str(body.pop("FunctionVersion"))
    tools.reporter.step(f"published version {version} of {session.target.function}; waiting for it to be Active")
    waiter = Waiter(session.api, sleep=tools.sleep, clock=tools.clock, on_wait=tools.reporter.waited)
    waiter.until_active(session.target.function, version)
    return Outcome({**body, "lastVersion": version})


def _alias_params(session: Session, inputs: Mapping[str, Any]) -> dict[str, Any]:
    name = read.required(inputs, "name", "name=release")
    version = read.required(inputs, "version", "version=1")
    routing = {"AdditionalVersionWeights": read.weights(inputs, version)}
    description = read.text(inputs, "description", "")
    return _fn(session, Name=name, FunctionVersion=version, RoutingConfig=routing, Description=description)


def _put_alias(action: str) -> Callable[[Session, Mapping[str, Any], Tools], Outcome]:
    def run(session: Session, inputs: Mapping[str, Any], tools: Tools) -> Outcome:
        params = _alias_params(session, inputs)
        tools.reporter.step(f"{action} {params['Name']} of {session.target.function}")
        session.api.scf(action, params)
        return Outcome(session.api.scf("GetAlias", _fn(session, Name=params["Name"])))

    return run


def _share(value: float) -> str:
    return f"{round(value, 6):g}"


def _alias_row(alias: Mapping[str, Any]) -> dict[str, Any]:
    routing = alias.get("RoutingConfig") or {}
    extra = routing.get("AdditionalVersionWeights") or []
    main = str(alias.get("FunctionVersion"))
    weight = {main: _share(1 - sum(float(w["Weight"]) for w in extra))}
    weight.update({str(w["Version"]): _share(float(w["Weight"])) for w in extra})
    row: dict[str, Any] = {"weight": json.dumps(weight)}
    rules = routing.get("AddtionVersionMatchs") or []
    if rules:
        row["rules"] = [f"{r['Version']}: {r['Key']} {r['Method']} {r['Expression']}" for r in rules]
    return {str(alias.get("Name")): row}


def list_alias(session: Session, inputs: Mapping[str, Any], tools: Tools) -> Outcome:
    version = read.text(inputs, "version")
    rows: list[dict[str, Any]] = []
    while True:
        body = session.api.scf("ListAliases", _fn(session, FunctionVersion=version, Offset=len(rows), Limit=100))
        page = body.get("Aliases") or []
        rows += [_alias_row(alias) for alias in page]
        if not page or len(rows) >= int(body.get("TotalCount") or 0):
            return Outcome({"alias": rows})


def delete_alias(session: Session, inputs: Mapping[str, Any], tools: Tools) -> Outcome:
    name = read.required(inputs, "name", "name=release")
    tools.reporter.step(f"DeleteAlias {name} of {session.target.function}")
    body = session.api.scf("DeleteAlias", _fn(session, Name=name))
    return Outcome({"RequestId": body.get("RequestId")})


def invoke(session: Session, inputs: Mapping[str, Any], tools: Tools) -> Outcome:
    asynchronous = read.flag(inputs, "asyncRun")
    params = _fn(
        session,
        Qualifier=read.text(inputs, "qualifier", "$LATEST"),
        ClientContext=read.json_text(inputs, "event", "clientContext"),
        InvocationType="Event" if asynchronous else "RequestResponse",
        LogType="None" if asynchronous else "Tail",
    )
    body = session.api.scf("Invoke", params)
    result = body.get("Result") or {}
    if not asynchronous and result.get("InvokeResult") not in (0, None):
        message = f"{session.target.function} raised an error in user code: {result.get('ErrMsg') or ''}"
        return Outcome(body, InvocationFailed(message.strip()))
    return Outcome(body)


def log(session: Session, inputs: Mapping[str, Any], tools: Tools) -> Outcome:
    from component.toolbox.logs import LogQuery, search

    query = LogQuery(
        qualifier=read.text(inputs, "qualifier"), request_id=read.text(inputs, "reqid"), since=3600.0
    )
    return Outcome([entry.as_dict() for entry in search(session, query, tools)])


def metric(session: Session, inputs: Mapping[str, Any], tools: Tools) -> Outcome:
    from component.toolbox.metrics import metric_points

    name = read.required(inputs, "metric", "metric=Invocation")
    points = metric_points(
        session,
        name,
        alias=read.text(inputs, "alias"),
        period=read.number(inputs, "period", 60),
        interval=read.number(inputs, "interval", 900),
        start=read.text(inputs, "startTime"),
        end=read.text(inputs, "endTime"),
        now=tools.wall(),
    )
    return Outcome(points)


Action = Callable[[Session, Mapping[str, Any], Tools], Outcome]
ACTIONS: dict[str, Action] = {
    "publish_ver": publish_ver,
    "create_alias": _put_alias("CreateAlias"),
    "update_alias": _put_alias("UpdateAlias"),
    "list_alias": list_alias,
    "delete_alias": delete_alias,
    "invoke": invoke,
    "log": log,
    "metric": metric,
}
