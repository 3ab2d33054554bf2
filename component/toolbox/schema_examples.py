"""Examples for the properties of ``schemas/scf.schema.json`` that carry neither examples nor a default.

``scf schema`` adds them so that editors can offer a value for every input: the explicit ones below for
scalars (keyed by the property's path, ``[]`` for array items), else the property's default or first
enum/const value, else an example built from its children's examples (objects) or its items' (arrays).
"""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, Any] = {
    "src": "./src",
    "name": "hello-dev-demo",
    "src.src": "./src",
    "src.exclude": [".env", "node_modules/**"],
    "src.hook": "npm run build",
    "src.dist": "./dist",
    "src.bucket": "my-bucket",
    "src.object": "code/app-1.0.zip",
    "role": "SCF_QcsRole",
    "enableRoleAuth": True,
    "initTimeout": 65,
    "environment.variables": {"LOG_LEVEL": "info"},
    "vpcConfig.vpcId": "vpc-abcd1234",
    "vpcConfig.subnetId": "subnet-abcd1234",
    "layers[].name": "deps",
    "layers[].version": 1,
    "deadLetter.type": "CMQ",
    "deadLetter.name": "dead-letters",
    "deadLetter.filterType": "TAG",
    "cls.logsetId": "0a1b2c3d-0000-4000-8000-000000000001",
    "cls.topicId": "0a1b2c3d-0000-4000-8000-000000000002",
    "asyncRunEnable": False,
    "tags": {"team": "payments"},
    "cfs[].cfsId": "cfs-abcd1234",
    "cfs[].mountInsId": "cfs-abcd1234",
    "cfs[].localMountDir": "/mnt/data",
    "cfs[].remoteMountDir": "/",
    "image.imageUrl": "ccr.ccs.tencentyun.com/ns/app:1.0",
    "image.registryId": "tcr-abcd1234",
    "image.command": "/app/start",
    "image.args": "--port 9000",
    "provisionedNum": 2,
    "qualifier": "$DEFAULT",
    "traffic": 0.1,
    "aliasFunctionVersion": "2",
    "additionalVersionWeights[].version": "3",
    "additionalVersionWeights[].weight": 0.1,
    "rules[].key": "invoke.headers.User",
    "rules[].expression": "Bob",
    "keepVersions": 5,
    "rollout.steps": [0.1, {"traffic": 0.5, "pause": "5m"}, 1],
    "rollout.steps[].traffic": 0.5,
    "rollout.steps[].pause": "5m",
    "rollout.analysis.maxDuration": 800,
    "rollout.hooks.preStep": [{"command": "./smoke.sh", "timeout": "30s"}],
    "rollout.hooks.postStep": [{"url": "https://ci.example/gate"}],
    "events[].timer.name": "nightly",
    "events[].timer.parameters.name": "nightly",
    "events[].timer.parameters.cronExpression": "0 0 2 * * * *",
    "events[].timer.parameters.argument": '{"job":"report"}',
    "events[].apigw.name": "api",
    "events[].apigw.parameters.serviceId": "service-abcd1234",
    "events[].apigw.parameters.serviceName": "my_api",
    "events[].apigw.parameters.instanceId": "instance-abcd1234",
    "events[].apigw.parameters.description": "API for my function",
    "events[].apigw.parameters.endpoints[].path": "/",
    "events[].apigw.parameters.endpoints[].apiId": "api-abcd1234",
    "events[].apigw.parameters.endpoints[].description": "the home page",
    "events[].apigw.parameters.endpoints[].responseType": "JSON",
    "events[].apigw.parameters.endpoints[].param": [{"name": "id", "position": "QUERY", "required": False,
                                                     "type": "string"}],
    "events[].apigw.parameters.endpoints[].function.functionName": "hello-dev-demo",
    "events[].apigw.parameters.endpoints[].function.functionNamespace": "default",
    "events[].apigw.parameters.endpoints[].usagePlan": {"usagePlanName": "basic", "maxRequestNum": 1000},
    "events[].apigw.parameters.endpoints[].auth": {"secretName": "app-key"},
    "events[].apigw.parameters.endpoints[].app": {"name": "mobile", "id": "app-abcd1234"},
    "events[].apigw.parameters.endpoints[].base64EncodedTriggerRules": [{"name": "Content-Type",
                                                                         "value": ["application/octet-stream"]}],
    "events[].apigw.parameters.customDomains": [{"domain": "api.example.com", "isDefaultMapping": True}],
    "events[].cos.name": "uploads",
    "events[].cos.parameters.bucket": "uploads-1250000000.cos.ap-guangzhou.myqcloud.com",
    "events[].cos.parameters.filter.prefix": "images/",
    "events[].cos.parameters.filter.suffix": ".jpg",
    "events[].cos.parameters.events": "cos:ObjectCreated:*",
    "events[].cmq.name": "orders",
    "events[].cmq.parameters.name": "orders-topic",
    "events[].cmq.parameters.filterKey": ["paid"],
    "events[].ckafka.name": "clicks",
    "events[].ckafka.parameters.name": "ckafka-abcd1234",
    "events[].ckafka.parameters.topic": "clicks",
    "events[].cls.name": "log-events",
    "events[].cls.parameters.topicId": "0a1b2c3d-0000-4000-8000-000000000003",
    "events[].cls.parameters.maxSize": 100,
    "events[].mps.name": "transcodes",
    "events[].mps.parameters": {"type": "EditMediaTask"},
    "events[].clb.name": "web-lb",
    "events[].clb.parameters.loadBalanceId": "lb-abcd1234",
    "events[].clb.parameters.port": 80,
    "events[].clb.parameters.domain": "www.example.com",
    "events[].clb.parameters.url": "/",
    "events[].clb.parameters.weight": 10,
    "events[].http.name": "http",
    "events[].http.parameters.name": "http",
    "events[].http.parameters.netConfig": {"enableIntranet": False, "enableExtranet": True},
    "events[].http.parameters.corsConfig.enable": True,
    "events[].http.parameters.corsConfig.origins": ["https://example.com"],
    "events[].http.parameters.corsConfig.methods": ["GET", "POST"],
    "events[].http.parameters.corsConfig.headers": ["Content-Type"],
    "events[].http.parameters.corsConfig.exposeHeaders": ["X-Request-Id"],
    "events[].http.parameters.corsConfig.credentials": False,
    "events[].http.parameters.corsConfig.maxAge": 600,
    "nodeType": "GPU",
    "nodeSpec": "GN7.2XLARGE32",
    "instanceConcurrencyConfig.maxConcurrency": 10,
    "$defs.hook.command": "./smoke.sh",
    "$defs.hook.url": "https://ci.example/gate",
}


def _derived(node: dict[str, Any]) -> list[Any]:
    if "default" in node:
        return [node["default"]]
    if node.get("enum"):
        return [node["enum"][0]]
    if "const" in node:
        return [node["const"]]
    children = node.get("properties") or {}
    sample = {k: v["examples"][0] for k, v in children.items() if isinstance(v, dict) and v.get("examples")}
    if sample:
        return [sample]
    items = node.get("items")
    if isinstance(items, dict):
        found = items.get("examples") or _derived(items)
        return [[found[0]]] if found else []
    return []


def _annotate(node: Any, path: str, *, named: bool = True) -> None:
    """Children first (an object's example is built from theirs); only named properties get examples."""
    if not isinstance(node, dict):
        return
    for key, child in (node.get("properties") or {}).items():
        _annotate(child, f"{path}.{key}" if path else key)
    for key in ("items", "additionalProperties"):
        _annotate(node.get(key), f"{path}[]", named=False)
    for key in ("oneOf", "anyOf", "allOf"):
        for option in node.get(key) or []:
            _annotate(option, path, named=False)
    if named and path and "examples" not in node:
        found = [EXAMPLES[path]] if path in EXAMPLES else _derived(node)
        if found:
            node["examples"] = found


def add_examples(inputs_schema: dict[str, Any]) -> None:
    """Give every property of the inputs schema (and its ``$defs``) an ``examples`` list, in place."""
    _annotate(inputs_schema, "")
    for name, definition in (inputs_schema.get("$defs") or {}).items():
        _annotate(definition, f"$defs.{name}", named=False)
