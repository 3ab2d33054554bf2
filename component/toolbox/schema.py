"""``scf schema``: the JSON Schema of a whole ``serverless.yml``, for editors (yaml-language-server).

``schemas/scf.schema.json`` describes ``inputs`` (it is what ``scf deploy`` validates against); this
wraps it in the document around it: ``component``, ``name``, ``org``, ``app``, ``stage``,
``commandInputs``, with the inputs schema's ``$defs`` moved to the root so its ``$ref``s still resolve,
and an example on every property that has none (``schema_examples.py``).
"""

from __future__ import annotations

import json
from typing import Any

from component.resources import data_dir
from component.toolbox.schema_examples import add_examples

SCHEMA_FILE = "scf.schema.json"
DOCUMENT_ID = "https://scf-component.local/schemas/serverless.schema.json"


def _text(title: str, description: str, examples: list[str], **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, "description": description, "examples": examples, **extra}


def document_schema() -> dict[str, Any]:
    inputs: dict[str, Any] = json.loads((data_dir("schemas") / SCHEMA_FILE).read_text(encoding="utf-8"))
    add_examples(inputs)
    inputs.setdefault("examples", [{"src": "./src", "handler": "index.main_handler", "runtime": "Python3.9"}])
    defs = inputs.pop("$defs", {})
    dialect = inputs.pop("$schema", "https://json-schema.org/draft/2020-12/schema")
    inputs.pop("$id", None)
    properties = {
        "component": _text("Component", "The component this instance deploys: `scf` (optionally `scf@VERSION`).",
                           ["scf"], pattern="^scf(@.*)?$", default="scf"),
        "name": _text("Instance name", "The instance name; the function is named `${name}-${stage}-${app}` unless "
                      "`inputs.name` says otherwise. Other instances read its outputs as `${output:NAME.KEY}`.",
                      ["hello"]),
        "org": _text("Organisation", "Organisation name (recorded only).", ["my-org"]),
        "app": _text("Application", "Application name; defaults to `name`.", ["demo"]),
        "stage": _text("Stage", "Stage, such as dev or prod; `--stage` overrides it. Selects `.env.<stage>`.",
                       ["dev", "prod"], default="dev"),
        "inputs": inputs,
        "commandInputs": {"type": "object", "title": "Inputs per command",
                          "description": "Inputs applied to one command only, keyed by the command name.",
                          "default": {}, "examples": [{"deploy": {"traffic": 0.1}}]},
    }
    return {
        "$schema": dialect, "$id": DOCUMENT_ID, "title": "serverless.yml (component scf)",
        "description": "A Serverless Framework instance of the Tencent Cloud SCF component, as scf-component reads it.",
        "type": "object", "required": ["component", "name"], "additionalProperties": False,
        "properties": properties, "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(document_schema(), indent=2, ensure_ascii=False) + "\n"
