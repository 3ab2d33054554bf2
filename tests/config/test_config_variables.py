"""Variables in serverless.yml: ${env:X} from the environment and .env files, instance fields, errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from component.config.envfiles import env_files
from component.config.project import load_project
from component.errors import ConfigError

MakeProject = Callable[..., Path]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_env_file_order_is_stage_file_then_env_nearest_folder_first(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b" / "app"
    assert env_files(root, "prod") == [
        root / ".env.prod",
        root / ".env",
        root.parent / ".env.prod",
        root.parent / ".env",
        root.parent.parent / ".env.prod",
        root.parent.parent / ".env",
    ]


@pytest.mark.parametrize(
    ("files", "environ", "expected"),
    [
        # (file relative to the project folder -> content), real environment, value of ${env:X}
        ({".env": "X=dot"}, {}, "dot"),
        ({".env": "X=dot", ".env.dev": "X=stage"}, {}, "stage"),
        ({".env": "X=dot"}, {"X": "real"}, "real"),
        ({"../.env": "X=parent", ".env": "X=here"}, {}, "here"),
        ({"../.env.dev": "X=parent-stage", ".env": "X=here"}, {}, "here"),
        ({"../.env.dev": "X=parent-stage", "../.env": "X=parent"}, {}, "parent-stage"),
        ({"../../.env": "X=grandparent"}, {}, "grandparent"),
        ({".env.prod": "X=other-stage", ".env": "X=dot"}, {}, "dot"),
    ],
)
def test_env_variable_comes_from_first_file_and_real_env_wins(
    make_project: MakeProject, files: dict[str, str], environ: dict[str, str], expected: str
) -> None:
    root = make_project("description: ${env:X}\n", folder="x/y/app")
    for name, text in files.items():
        write((root / name).resolve(), text + "\n")
    project = load_project(root, environ=environ)
    assert project.inputs["description"] == expected
    assert project.env["X"] == expected


def test_stage_from_yaml_env_selects_the_stage_files(make_project: MakeProject) -> None:
    root = make_project(
        document="component: scf\nname: n\nstage: ${env:STAGE}\ninputs:\n  src: ./src\n  description: ${env:X}\n"
    )
    write(root / ".env", "STAGE=prod\nX=base\n")
    write(root / ".env.prod", "X=prod-value\n")
    project = load_project(root, environ={})
    assert (project.stage, project.inputs["description"]) == ("prod", "prod-value")


def test_cli_stage_wins_over_yaml_stage(make_project: MakeProject) -> None:
    root = make_project(
        document="component: scf\nname: n\nstage: prod\ninputs:\n  src: ./src\n  description: ${stage}\n"
    )
    project = load_project(root, stage="test", environ={})
    assert (project.stage, project.inputs["description"]) == ("test", "test")


def test_instance_fields_and_defaults(make_project: MakeProject) -> None:
    root = make_project("name: ${name}-${stage}-${app}\ndescription: '${org}/${app}'\n")
    project = load_project(root, environ={})
    assert (project.name, project.app, project.org, project.stage) == ("hello", "hello", "", "dev")
    assert project.inputs["name"] == "hello-dev-hello"
    assert load_project(root, app="shop", org="acme", environ={}).inputs["description"] == "acme/shop"


def test_whole_value_env_variable_stays_a_string(make_project: MakeProject) -> None:
    root = make_project("environment:\n  variables:\n    PORT: ${env:PORT}\n")
    assert load_project(root, environ={"PORT": "8080"}).inputs["environment"]["variables"]["PORT"] == "8080"


def test_overrides_are_merged_before_variables_are_resolved(make_project: MakeProject) -> None:
    root = make_project("environment:\n  variables:\n    A: a\n")
    overrides = {"environment": {"variables": {"B": "${stage}"}}, "traffic": 0.5}
    project = load_project(root, overrides=overrides, environ={})
    assert project.inputs["environment"] == {"variables": {"A": "a", "B": "dev"}}
    assert project.inputs["traffic"] == 0.5


def test_the_real_environment_is_never_modified(make_project: MakeProject) -> None:
    root = make_project("description: ${env:SCF_TEST_ONLY_VALUE}\n")
    write(root / ".env", "SCF_TEST_ONLY_VALUE=from-file\n")
    assert load_project(root, environ={}).inputs["description"] == "from-file"
    assert "SCF_TEST_ONLY_VALUE" not in os.environ


BAD_VARIABLES = [
    # snippet line 5 of serverless.yml        path               message (substring)
    ("description: ${self:custom.x}", "inputs.description", "variable source 'self' is not supported"),
    ("description: ${opt:stage}", "inputs.description", "variable source 'opt' is not supported"),
    ("description: ${file(./x.yml)}", "inputs.description", "variable source 'file' is not supported"),
    (
        "description: ${output:dev:app:vpc.id}",
        "inputs.description",
        "multi-instance projects are not supported yet",
    ),
    ("description: ${region}", "inputs.description", "unknown variable 'region'"),
    (
        "description: ${env:MISSING}",
        "inputs.description",
        "environment variable 'MISSING' used in ${env:MISSING} is not set",
    ),
]


@pytest.mark.parametrize(("snippet", "path", "message"), BAD_VARIABLES)
def test_unsupported_or_undefined_variables_name_file_line_and_variable(
    make_project: MakeProject, snippet: str, path: str, message: str
) -> None:
    root = make_project(snippet + "\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root, environ={})
    [problem] = caught.value.problems
    assert (problem.path, problem.file, problem.line) == (path, str(root / "serverless.yml"), 5)
    assert message in problem.message


def test_all_variable_problems_are_reported_together(make_project: MakeProject) -> None:
    root = make_project("description: ${env:A} ${env:B}\nrole: ${self:x}\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root, environ={})
    assert [(p.path, p.line) for p in caught.value.problems] == [
        ("inputs.description", 5),
        ("inputs.description", 5),
        ("inputs.role", 6),
    ]


def test_secret_values_never_appear_in_problems(make_project: MakeProject) -> None:
    root = make_project("memorySize: ${env:SECRET}\nruntime: ${env:SECRET}\nname: x ${env:SECRET}\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root, environ={"SECRET": "hunter2-secret"})
    problems = caught.value.problems
    assert [p.path for p in problems] == ["inputs.memorySize", "inputs.runtime", "inputs.name"]
    for problem in problems:
        assert "hunter2" not in str(problem)
        assert "not shown" in problem.message
