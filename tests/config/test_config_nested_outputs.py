"""``${output:${stage}:${app}:instance.key}`` — the nested form Tencent's templates write (#13 item 6).

It resolves like the flat form; an instance nothing here has recorded stops the deploy (exit 2) naming
the instance, the key and how to provide the value; no ``${`` text ever reaches the cloud.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from component.config.project import load_project
from component.config.variables import OutputReference, output_references
from component.errors import ConfigError
from tests.config.conftest import MakeProject
from tests.conftest import Cloud

OUTPUTS = {("dev", "shop", "base", "functionName"): "base-fn", ("dev", "shop", "base", "memorySize"): 256}


def outputs(stage: str, app: str, instance: str, key: str) -> Any:
    try:
        return OUTPUTS[(stage, app, instance, key)]
    except KeyError:
        raise LookupError(f"no instance named {instance!r} next to this one") from None


def load(make_project: MakeProject, snippet: str, environ: dict[str, str] | None = None) -> Any:
    head = "component: scf\nname: hello\napp: shop\ninputs:\n  src: ./src\n"
    document = head + textwrap.indent(textwrap.dedent(snippet), "  ")
    return load_project(make_project(document=document), environ=environ or {}, outputs=outputs).inputs


# (snippet, dotted path, resolved value)
RESOLVED = [
    ("description: ${output:${stage}:${app}:base.functionName}", "description", "base-fn"),
    ("description: ${output:dev:shop:base.functionName}", "description", "base-fn"),
    ("description: calls ${output:${stage}:${app}:base.functionName} now", "description", "calls base-fn now"),
    ("memorySize: ${output:${stage}:${app}:base.memorySize}", "memorySize", 256),  # a whole value keeps its type
    (
        "environment: {variables: {B: '${output:${ stage }:${app}:base.functionName}'}}",
        "environment",
        {"variables": {"B": "base-fn"}},
    ),
]


@pytest.mark.parametrize(("snippet", "key", "value"), RESOLVED)
def test_the_nested_form_resolves_like_the_flat_form(
    make_project: MakeProject, snippet: str, key: str, value: Any
) -> None:
    assert load(make_project, snippet)[key] == value


# (snippet, the problem's message (start), with the how-to hint)
REFUSED = [
    ("description: ${output:${stage}:${app}:cls.topicId}", "${output:dev:shop:cls.topicId}: no instance named 'cls'"),
    ("cls: {topicId: '${output:${stage}:${app}:logs.topicId}'}", "${output:dev:shop:logs.topicId}: no instance"),
    ("description: ${output:${stage}:${app}:base.functionName", "unclosed variable"),
    ("description: ${output:${stage}:${app}:${name}}", "${output:dev:shop:hello}: expected"),
    ("description: ${env:${env:${env:${env:${env:A}}}}}", "variables nested deeper than 4 levels"),
]


@pytest.mark.parametrize(("snippet", "message"), REFUSED)
def test_what_cannot_be_resolved_stops_before_any_call(make_project: MakeProject, snippet: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(make_project, snippet)
    [problem] = caught.value.problems
    assert problem.message.startswith(message), problem.message
    assert problem.line == 6
    if "no instance" in message:
        assert "deploy that instance" in problem.hint and "${env:NAME}" in problem.hint


def test_a_value_from_the_environment_is_not_expanded_again_and_never_deployed_as_text(
    make_project: MakeProject,
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(make_project, "description: ${env:TRICK}", environ={"TRICK": "x ${env:SECRET} y", "SECRET": "s3cr3t"})
    [problem] = caught.value.problems
    assert problem.path == "inputs.description"
    assert "deployed as literal text" in problem.message
    assert "s3cr3t" not in str(caught.value) and "${env:SECRET}" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        ("${output:${stage}:${app}:base.id}", [OutputReference(None, None, "base", "id")]),
        (
            "a ${output:dev:shop:base.id} b ${output:web.url}",
            [OutputReference("dev", "shop", "base", "id"), OutputReference(None, None, "web", "url")],
        ),
        ("${env:X} ${name}", []),
    ],
)
def test_multi_instance_discovery_sees_nested_references(text: str, refs: list[OutputReference]) -> None:
    assert [ref for _, ref in output_references(text)] == refs


def _instance(root: Path, name: str, inputs: str) -> Path:
    folder = root / name
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "index.py").write_text("def main_handler(event, context):\n    return 1\n", encoding="utf-8")
    head = f"component: scf\nname: {name}\napp: shop\nstage: dev\ninputs:\n  src: ./src\n  runtime: Python3.9\n"
    (folder / "serverless.yml").write_text(head + textwrap.indent(inputs, "  "), encoding="utf-8")
    return folder


def test_deploy_reads_a_sibling_s_recorded_output_through_the_nested_form(cloud: Cloud, tmp_path: Path) -> None:
    base = _instance(tmp_path, "base", "")
    app = _instance(
        tmp_path, "app", "environment:\n  variables:\n    BASE: ${output:${stage}:${app}:base.functionName}\n"
    )
    before = len(cloud.server.request_log())
    refused = cloud.scf("deploy", "--target", str(app))
    assert refused.exit_code == 2
    assert "${output:dev:shop:base.functionName}: instance 'base'" in refused.stderr
    assert [e for e in cloud.server.request_log()[before:] if e["action"] != "GetFunction"] == []
    assert cloud.scf("deploy", "--target", str(base)).exit_code == 0
    deployed = cloud.scf("deploy", "--target", str(app), "--json")
    assert deployed.exit_code == 0, deployed.stderr
    created = [e["params"] for e in cloud.server.request_log() if e["action"] == "CreateFunction"][-1]
    assert created["Environment"] == {"Variables": [{"Key": "BASE", "Value": "base-dev-shop"}]}


def test_deploy_refuses_an_instance_of_the_original_app_that_is_not_here(cloud: Cloud, tmp_path: Path) -> None:
    app = _instance(tmp_path, "app", "cls:\n  logsetId: ${output:${stage}:${app}:logs.logsetId}\n")
    run = cloud.scf("deploy", "--target", str(app))
    assert run.exit_code == 2
    assert "${output:dev:shop:logs.logsetId}: no instance named 'logs'" in run.stderr
    assert "'logsetId' of instance 'logs' is needed here" in run.stderr
    assert cloud.server.request_log() == []
