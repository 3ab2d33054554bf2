"""Render ``docs/configuration.md`` from the inputs schema, so the reference cannot drift from it.

One Markdown table per object (inputs, nested objects, list items, trigger parameters): input, type,
default and description, all taken from the schema's ``title``/``description``/``default``. A test
compares the committed file with this rendering; regenerate with
``python -m component.config.docs > docs/configuration.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from component.config.validate import load_schema

HEADER = """# Configuration reference

<!-- Generated from schemas/scf.schema.json by `python -m component.config.docs`; do not edit. -->

`serverless.yml` has the top-level keys `component` (`scf`), `name` (the instance name), `org`, `app`
(defaults to `name`), `stage` (defaults to `dev`) and `inputs`, described below; `org`, `app` or `stage`
left empty (`''` or no value) take their default. How files written for the Node component are read
(empty values, unknown keys) is in [compatibility.md](compatibility.md). Values may use
`${env:NAME}` (from the environment, then `.env.<stage>` and `.env` in the project folder and up to two
parents), `${name}`, `${stage}`, `${app}` and `${org}`. Any input can be overridden on the command line:
`scf deploy --inputs traffic=0.5` or `scf deploy --inputs.traffic=0.5`.
"""


def render_reference() -> str:
    """The whole reference page as Markdown."""
    schema = load_schema()
    sections = [HEADER]
    sections += [_section(path, title, node, schema) for path, title, node in _objects(schema, "inputs", "", schema)]
    return "\n".join(sections).rstrip("\n") + "\n"


def _deref(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    target: dict[str, Any] = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _objects(node: dict[str, Any], path: str, title: str, root: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """Every object with declared properties, depth first, with its dotted path."""
    node = _deref(node, root)
    if node.get("properties"):
        yield path, title or str(node.get("title", path)), node
        for key, child in node["properties"].items():
            yield from _objects(child, f"{path}.{key}", "", root)
    if isinstance(node.get("items"), dict):
        yield from _objects(node["items"], f"{path}[]", "", root)
    for branch in node.get("oneOf", []) + node.get("anyOf", []):
        if isinstance(branch, dict) and branch.get("properties"):
            yield from _objects(branch, path, str(branch.get("title", "")), root)


def _section(path: str, title: str, node: dict[str, Any], root: dict[str, Any]) -> str:
    lines = [f"## `{path}` — {title}", ""]
    if node.get("description") and path != "inputs":
        lines += [_cell(str(node["description"])), ""]
    required = set(node.get("required", []))
    lines += ["| Input | Type | Default | Description |", "| --- | --- | --- | --- |"]
    for key, raw in node["properties"].items():
        child = _deref(raw, root)
        name = f"`{key}`" + (" (required)" if key in required else "")
        default = f"`{json.dumps(child['default'], ensure_ascii=False)}`" if "default" in child else ""
        lines.append(f"| {name} | {_cell(_type(child, root))} | {_cell(default)} | {_cell(_describe(child))} |")
    return "\n".join(lines) + "\n"


def _describe(node: dict[str, Any]) -> str:
    text = str(node.get("description", ""))
    limits = [
        f"{word} `{node[key]}`" if key == "pattern" else f"{word} {node[key]}" for key, word in _LIMITS if key in node
    ]
    return f"{text} ({', '.join(limits)})" if limits else text


_LIMITS = (
    ("minimum", "min"),
    ("exclusiveMinimum", ">"),
    ("maximum", "max"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("maxLength", "max length"),
    ("pattern", "pattern"),
)


def _type(node: dict[str, Any], root: dict[str, Any]) -> str:
    if "enum" in node:
        return " | ".join(f"`{v}`" for v in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    if node.get("title") == "Duration" and "anyOf" in node:
        return "duration"
    branches = node.get("oneOf") or []
    if branches and "type" not in node:
        return " | ".join(dict.fromkeys(_type(_deref(b, root), root) for b in branches))
    kind = node.get("type", "any")
    kinds = [kind] if isinstance(kind, str) else list(kind)
    words = {"object": "mapping", "array": "list"}
    text = " | ".join(words.get(k, k) for k in kinds)
    items = node.get("items")
    if text == "list" and isinstance(items, dict):
        text = f"list of {_type(_deref(items, root), root)}"
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    print(render_reference(), end="")
