"""What files written for the Node component contain, and how we read it (#13 items 1–5).

Each row: a serverless.yml shape seen in real projects → the inputs the deploy works from, and the
warnings printed. Empty values where the Node component tests truthiness mean "unset"; keys it never
reads deploy with a warning naming them; a clear misspelling of one of our keys stays exit 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from component.config.project import load_project
from component.errors import ConfigError
from tests.config.conftest import MakeProject

HEAD = "component: scf\nname: hello\n"


def load(make_project: MakeProject, document: str) -> Any:
    return load_project(make_project(document=document), environ={})


# (document, the instance fields (app, stage, org) it gives)
TOP_LEVEL = [
    (HEAD + "app: ''\nstage: ''\norg: ''\ninputs: {src: ./src}\n", ("hello", "dev", "")),
    (HEAD + "app:\nstage:\norg:\ninputs: {src: ./src}\n", ("hello", "dev", "")),
    (HEAD + "app: shop\nstage: ''\ninputs: {src: ./src}\n", ("shop", "dev", "")),
]


@pytest.mark.parametrize(("document", "fields"), TOP_LEVEL)
def test_empty_top_level_values_mean_the_default(make_project: MakeProject, document: str, fields: Any) -> None:
    project = load(make_project, document)
    assert (project.app, project.stage, project.org) == fields
    assert project.inputs["src"] == "./src"


UNSET = "<unset>"
# (inputs snippet, dotted path into the resolved inputs, what is there afterwards)
EMPTY_MEANS_UNSET = [
    ("vpcConfig: {vpcId: '', subnetId: ''}", "vpcConfig", UNSET),
    ("cls: {logsetId: null, topicId: null}", "cls", UNSET),
    ("cls: {logsetId: '', topicId: ''}", "cls", {"logsetId": "", "topicId": ""}),  # '' = log to no topic
    ("environment: {variables: }", "environment", UNSET),
    ("environment:", "environment", UNSET),
    ("layers:", "layers", UNSET),
    ("traffic:", "traffic", UNSET),
    (
        "events:\n  - timer:\n      name:\n      parameters: {cronExpression: '0 * * * * * *', name: ''}",
        "events",
        [{"timer": {"parameters": {"cronExpression": "0 * * * * * *"}}}],
    ),
    (
        "events:\n  - apigw:\n      parameters: {serviceName: , serviceId: '', endpoints: [{path: /, method: GET}]}",
        "events",
        [{"apigw": {"parameters": {"endpoints": [{"path": "/", "method": "GET"}]}}}],
    ),
    (
        "events:\n  - cos:\n      parameters: {bucket: b-1.cos.ap-guangzhou.myqcloud.com,"
        " events: 'cos:ObjectCreated:*', filter: {prefix: , suffix: ''}}",
        "events",
        [{"cos": {"parameters": {"bucket": "b-1.cos.ap-guangzhou.myqcloud.com", "events": "cos:ObjectCreated:*"}}}],
    ),
    ("type: web\nhandler: ''", "handler", UNSET),
    ("type: web\nhandler:", "handler", UNSET),
]


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return UNSET
        data = data[part]
    return data


@pytest.mark.parametrize(("snippet", "path", "expected"), EMPTY_MEANS_UNSET)
def test_empty_values_mean_unset_where_the_node_component_tests_truthiness(
    make_project: MakeProject, snippet: str, path: str, expected: Any
) -> None:
    project = load_project(make_project(snippet), environ={})
    assert _at(project.inputs, path) == expected
    assert project.warnings == ()


def test_an_event_function_with_an_empty_handler_is_still_refused(make_project: MakeProject) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(make_project("handler: ''"), environ={})
    assert [p.path for p in caught.value.problems] == ["inputs.handler"]


# (snippet, the warnings: (path, start of the message, hint))
IGNORED_KEYS = [
    ("codeUri: ./src", [("inputs.codeUri", "unknown input 'codeUri' is ignored", "did you mean 'src'?")]),
    ("functionName: f", [("inputs.functionName", "unknown input 'functionName' is ignored", "did you mean 'name'?")]),
    (
        "functionConf: {timeout: 3}",
        [
            (
                "inputs.functionConf",
                "unknown input 'functionConf' is ignored",
                "memorySize, timeout, environment … go directly under inputs",
            )
        ],
    ),
    (
        "apigatewayConf: {protocols: [http]}",
        [
            (
                "inputs.apigatewayConf",
                "unknown input 'apigatewayConf' is ignored",
                "an API Gateway trigger is an entry of events: - apigw: {parameters: …}",
            )
        ],
    ),
    (
        "triggers: [{type: timer}]",
        [("inputs.triggers", "unknown input 'triggers' is ignored", "did you mean 'events'?")],
    ),
    (
        "namesapce: prod",
        [
            (
                "inputs.namesapce",
                "unknown input 'namesapce' is ignored",
                "did you mean 'namespace'? (the function is deployed to namespace default)",
            )
        ],
    ),
    ("myOwnNote: x", [("inputs.myOwnNote", "unknown input 'myOwnNote' is ignored", "")]),
    (
        "environment: {vars: {A: 1}}",
        [("inputs.environment.vars", "unknown key 'vars' is ignored", "did you mean 'variables'?")],
    ),
]


@pytest.mark.parametrize(("snippet", "expected"), IGNORED_KEYS)
def test_keys_the_node_component_ignores_deploy_with_a_warning(
    make_project: MakeProject, snippet: str, expected: list[tuple[str, str, str]]
) -> None:
    project = load_project(make_project(snippet), environ={})
    assert [(w.path, w.message.split(" (")[0], w.hint) for w in project.warnings] == expected
    assert all(w.line == 5 for w in project.warnings)
    top = expected[0][0].split(".")[1]
    assert top not in project.inputs or expected[0][0].count(".") > 1  # the ignored key is not deployed
    assert "vars" not in project.inputs.get("environment", {})


# (snippet, the problem's path and hint): keys close to one of ours are mistakes, not extras
MISSPELLINGS = [
    ("trafic: 0.5", "inputs.trafic", "did you mean 'traffic'?"),
    ("Timeout: 30", "inputs.Timeout", "did you mean 'timeout'?"),
    ("memorysize: 256", "inputs.memorysize", "did you mean 'memorySize'?"),
    ("enviroment: {variables: {A: 1}}", "inputs.enviroment", "did you mean 'environment'?"),
    ("vpcConfig: {vpcId: v, subnetId: s, subnetID: t}", "inputs.vpcConfig.subnetID", "did you mean 'subnetId'?"),
    ("events:\n  - sqs: {parameters: {}}", "inputs.events[0].sqs", ""),  # the toolkit refuses unknown types
    (
        "aliasName: release\nrollout: {steps: [1], autoRollbak: true}",
        "inputs.rollout.autoRollbak",
        "did you mean 'autoRollback'?",
    ),
    ("aliasName: release\nrollout: {steps: [1], note: x}", "inputs.rollout.note", ""),  # our own input: strict
]


@pytest.mark.parametrize(("snippet", "path", "hint"), MISSPELLINGS)
def test_a_misspelling_of_one_of_our_keys_stays_an_error(
    make_project: MakeProject, snippet: str, path: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(make_project(snippet), environ={})
    assert [(p.path, p.hint) for p in caught.value.problems] == [(path, hint)]
    assert caught.value.exit_code == 2


def test_enable_role_auth_is_an_input(make_project: MakeProject) -> None:
    project = load_project(make_project("enableRoleAuth: true"), environ={})
    assert project.inputs["enableRoleAuth"] is True
    with pytest.raises(ConfigError, match="must be a boolean"):
        load_project(make_project("enableRoleAuth: yes please"), environ={})


@pytest.mark.parametrize(
    ("snippet", "ok"),
    [
        ("timeout: 900", True),
        ("timeout: 901", False),
        ("timeout: 43200\nasyncRunEnable: true", True),
        ("timeout: 86400\nasyncRunEnable: true", True),
        ("timeout: 86401\nasyncRunEnable: true", False),
        ("timeout: 3600\nasyncRunEnable: false", False),
    ],
)
def test_timeout_above_900_needs_async_run(make_project: MakeProject, snippet: str, ok: bool) -> None:
    if ok:
        load_project(make_project(snippet), environ={})
        return
    with pytest.raises(ConfigError) as caught:
        load_project(make_project(snippet), environ={})
    assert [p.path for p in caught.value.problems] == ["inputs.timeout"]


def test_environment_written_as_a_console_export_list_is_applied_with_a_warning(make_project: MakeProject) -> None:
    project = load_project(
        make_project("environment:\n  - key: REGION\n    value: ap-guangzhou\n  - key: EMPTY\n    value:"), environ={}
    )
    assert project.inputs["environment"] == {"variables": {"REGION": "ap-guangzhou", "EMPTY": ""}}
    assert [w.path for w in project.warnings] == ["inputs.environment"]
    assert "the Node component ignores this form" in project.warnings[0].message


def test_web_endpoint_type_and_http_trigger_name_and_cors_are_inputs(make_project: MakeProject, tmp_path: Path) -> None:
    snippet = """\
    type: web
    events:
      - apigw:
          parameters:
            endpoints: [{path: /, method: ANY, function: {type: web}}]
      - http:
          parameters:
            name: my-url
            corsConfig: {enable: true, origins: 'https://a.example,https://b.example', maxAge: 60}
    """
    project = load_project(make_project(snippet), environ={})
    assert project.warnings == ()
    assert project.inputs["events"][1]["http"]["parameters"]["name"] == "my-url"
