"""Released API Gateway stages served over plain HTTP on the emulator's own port.

Path scheme (it cannot clash with the API 3.0 endpoint ``POST /`` nor with the control API under
``/_emulator/``)::

    http://127.0.0.1:<port>/_apigw/<serviceId>/<environment><api path>

The service's ``OuterSubDomain`` is ``127.0.0.1:<port>/_apigw/<serviceId>``, so the Node component's
URL formula ``${protocol}://${subDomain}/${environment}${path}`` yields exactly this address.

A request is matched against the stage's released snapshot (path exact, method exact or ``ANY``),
then the bound function is invoked through its qualifier like API Gateway does: an alias resolves
with its weights honoured and its rules matched against a ``RoutingKey`` built from the request's
headers (``User: Bob`` reaches the rule ``invoke.headers.User exact Bob``). The return value maps to
the HTTP response as API Gateway's integrated response does (``{statusCode, headers, body,
isBase64Encoded}``) when the API has ``ServiceScfIsIntegratedResponse``, otherwise the JSON of the
return value with status 200. Every response carries ``X-Scf-Executed-Version`` (the version that
ran), an emulator convenience for tests.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from component.emulator.core.errors import ApiError
from component.emulator.scf.invoke import invoke_qualifier

from .actions import APIGW_PATH_PREFIX, find_service
from .models import ApiDef

if TYPE_CHECKING:
    from component.emulator.backend import Backend

VERSION_HEADER = "X-Scf-Executed-Version"


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _error(status: int, message: str) -> HttpReply:
    body = json.dumps({"errorCode": -status, "errorMessage": message}, ensure_ascii=False).encode()
    return HttpReply(status, body, (("Content-Type", "application/json"),))


def _match(apis: dict[str, ApiDef], path: str, method: str) -> ApiDef | None:
    candidates = [a for a in apis.values() if a.path == path and a.method in (method, "ANY")]
    candidates.sort(key=lambda a: a.method == "ANY")  # an exact method wins over ANY
    return candidates[0] if candidates else None


def serve_stage(backend: Backend, method: str, path: str, query: str, headers: dict[str, str],
                body: bytes) -> HttpReply:
    """Answer ``<method> /_apigw/<serviceId>/<environment><path>``."""
    service_id, _, rest = path[len(APIGW_PATH_PREFIX):].partition("/")
    env, _, api_path = rest.partition("/")
    api_path = "/" + api_path
    found = find_service(backend.apigateway, service_id)
    if found is None:
        return _error(404, f"service {service_id} not found")
    region, service = found
    with backend.lock:
        stage = service.stages.get(env)
        api = _match(stage.apis, api_path, method) if stage else None
    if stage is None:
        return _error(404, f"environment {env!r} of {service_id} is not released")
    if api is None:
        return _error(404, f"There is no api match env_mapping '/{env}' and path '{api_path}' ({method})")
    event = _event(service_id, env, api, method, api_path, query, headers, body)
    params = {"FunctionName": api.function_name, "Namespace": api.function_namespace,
              "RoutingKey": json.dumps(headers)}
    try:
        answer = invoke_qualifier(backend.scf, region, params, api.function_qualifier, event)
    except ApiError as error:
        return _error(502, f"{error.code}: {error.message}")
    result, version = answer["Result"], str(answer["ExecutedVersion"])
    reply = _error(502, str(result["RetMsg"])) if result["InvokeResult"] != 0 else _response(api, result["RetMsg"])
    return HttpReply(reply.status, reply.body, (*reply.headers, (VERSION_HEADER, version)))


def _event(service_id: str, env: str, api: ApiDef, method: str, path: str, query: str,
           headers: dict[str, str], body: bytes) -> dict[str, Any]:
    text = body.decode("utf-8", "replace")
    query_params = dict(parse_qsl(query, keep_blank_values=True))
    return {
        "requestContext": {"serviceId": service_id, "path": api.path, "httpMethod": method,
                           "requestId": str(uuid.uuid4()), "identity": {}, "sourceIp": "127.0.0.1",
                           "stage": env},
        "headers": dict(headers), "body": text, "pathParameters": {}, "queryStringParameters": query_params,
        "headerParameters": {}, "stageVariables": {"stage": env}, "path": path, "httpMethod": method,
        "queryString": query_params, "isBase64Encoded": False,
    }


def _response(api: ApiDef, ret_msg: str) -> HttpReply:
    if not (api.integrated or api.function_type == "HTTP"):  # a web function answers HTTP itself
        return HttpReply(200, ret_msg.encode(), (("Content-Type", "application/json"),))
    try:
        value = json.loads(ret_msg)
    except ValueError:
        value = None
    if not isinstance(value, dict) or "statusCode" not in value:
        return _error(502, "invalid integrated response: expected {statusCode, headers, body, isBase64Encoded}")
    body = value.get("body", "")
    text = body if isinstance(body, str) else json.dumps(body)
    try:
        data = base64.b64decode(text, validate=True) if value.get("isBase64Encoded") else text.encode()
    except (binascii.Error, ValueError):
        return _error(502, "invalid integrated response: body is not base64")
    raw_headers = value.get("headers") or {}
    out = tuple((str(k), str(v)) for k, v in raw_headers.items()) if isinstance(raw_headers, dict) else ()
    if not any(k.lower() == "content-type" for k, _ in out):
        out = (("Content-Type", "application/json"), *out)
    return HttpReply(int(value["statusCode"]), data, out)
