"""docs/configuration.md is generated from the schema and must match it; the schema documents itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from component.config.docs import render_reference
from component.config.validate import load_schema

REPO = Path(__file__).resolve().parents[2]


def test_configuration_md_is_the_rendering_of_the_schema() -> None:
    committed = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == render_reference(), "regenerate: python -m component.config.docs > docs/configuration.md"


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def properties(node: Any, path: str = "inputs") -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    for key, child in node.get("properties", {}).items():
        yield f"{path}.{key}", child
        yield from properties(child, f"{path}.{key}")
    for key in ("items", "then"):
        yield from properties(node.get(key), f"{path}[]" if key == "items" else path)
    for branch in node.get("oneOf", []) + node.get("anyOf", []):
        yield from properties(branch, path)


def test_every_documented_property_has_a_title_and_description() -> None:
    schema = load_schema()
    missing = [
        path
        for path, node in properties(schema)
        if "$ref" not in node and set(node) - {"pattern", "x-message"} and not {"title", "description"} <= set(node)
    ]
    assert missing == []


def test_every_input_of_the_reference_is_in_the_schema() -> None:
    reference = [
        "src",
        "type",
        "name",
        "namespace",
        "handler",
        "entryFile",
        "runtime",
        "region",
        "role",
        "enableRoleAuth",
        "description",
        "memorySize",
        "timeout",
        "initTimeout",
        "environment",
        "vpcConfig",
        "layers",
        "deadLetter",
        "cls",
        "eip",
        "publicAccess",
        "l5Enable",
        "installDependency",
        "traceEnable",
        "asyncRunEnable",
        "msgTTL",
        "retryNum",
        "tags",
        "cfs",
        "image",
        "protocolType",
        "protocolParams",
        "ignoreTriggers",
        "autoCreateApi",
        "provisionedNum",
        "qualifier",
        "publish",
        "publishDescription",
        "traffic",
        "aliasName",
        "aliasDescription",
        "aliasFunctionVersion",
        "additionalVersionWeights",
        "events",
        "diskSize",
        "nodeType",
        "nodeSpec",
        "instanceConcurrencyConfig",
        "rules",
        "keepVersions",
        "rollout",
    ]
    assert sorted(load_schema()["properties"]) == sorted(reference)


def test_every_trigger_type_of_the_reference_is_in_the_schema() -> None:
    triggers = load_schema()["properties"]["events"]["items"]["properties"]
    assert sorted(triggers) == sorted(["apigw", "cos", "timer", "cmq", "ckafka", "cls", "mps", "clb", "http"])


def test_the_compatibility_page_covers_every_input_and_the_unknown_key_rule() -> None:
    page = (REPO / "docs" / "compatibility.md").read_text(encoding="utf-8")
    missing = [key for key in load_schema()["properties"] if f"`{key}`" not in page]
    assert missing == []
    for legacy in ("codeUri", "functionName", "functionConf", "apigatewayConf", "triggers", "namesapce"):
        assert f"`{legacy}`" in page
    assert "## Keys we do not know: warning or refusal" in page
