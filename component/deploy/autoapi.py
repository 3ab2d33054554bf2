"""``autoCreateApi``: the API Gateway trigger the Node component adds when a file asks for one and has none.

Condition (component ``src/utils.js``): ``autoCreateApi`` is true and no ``apigw`` event is configured.
The added event is the component's ``defaultApigw``: service ``serverless`` (reused when it exists),
protocols http and https, environment ``release``, one API ``/`` on ``ANY`` bound to ``$DEFAULT``
(a web function's API calls it as a web function). It then deploys, redeploys and is removed exactly
like an ``apigw`` event written in the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def events_with_default_api(inputs: Mapping[str, Any]) -> list[Any]:
    events = list(inputs.get("events") or ())
    has_api = any(isinstance(event, Mapping) and "apigw" in event for event in events)
    if inputs.get("autoCreateApi") and not has_api:
        events.append({"apigw": {"parameters": default_api_parameters()}})
    return events


def default_api_parameters() -> dict[str, Any]:
    return {
        "serviceName": "serverless",
        "protocols": ["http", "https"],
        "environment": "release",
        "description": "Created By Serverless",
        "endpoints": [{"path": "/", "method": "ANY"}],
    }
