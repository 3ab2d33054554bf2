"""The serverless.yml document itself: YAML syntax, top-level keys, where the file is found."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from component.config.project import load_project
from component.config.validate import line_finder
from component.config.yamlfile import parse_yaml
from component.errors import ConfigError, Problem

MakeProject = Callable[..., Path]


def problems(root: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        load_project(root, environ={}, **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


DOCUMENTS = [
    # whole serverless.yml                                       path         message (substring)                 line
    ("component: scf\nname: a\ninputs:\n  src: [./src\n", "", "not valid YAML", 5),
    ("component: scf\nname: a\ninputs:\n  src: ./src\n   bad: 1\n", "", "not valid YAML", 5),
    ("component: scf\nname: a\ninputs:\n\tsrc: ./src\n", "", "not valid YAML", 4),
    ("component: scf\nname: a\nname: b\ninputs: {src: ./src}\n", "name", "duplicate key 'name'", 3),
    ("component: scf\nname: a\ninputs:\n  src: ./src\n  src: ./other\n", "inputs.src", "duplicate key 'src'", 5),
    ("- component: scf\n", "", "must be a mapping with component, name and inputs", 1),
    ("component: scf\ninputs: {src: ./src}\n", "name", "is required", None),
    ("name: a\ninputs: {src: ./src}\n", "component", "is required", None),
    ("component: express\nname: a\ninputs: {src: ./src}\n", "component", "deploys the scf component only", 1),
    ("component: scf\nname: a\ninputs: [src]\n", "inputs", "must be a mapping of input names to values", 3),
    ("component: scf\nname: [a]\ninputs: {src: ./src}\n", "name", "must be a non-empty string, got list", 2),
    ("component: scf\nname: a\ninputs: {src: ./src}\nstage: ${env:NOPE}\n", "stage", "'NOPE'", 4),
    ("component: scf\nname: a\nprovider: tencent\ninputs: {src: ./src}\n", "provider", "unknown top-level key", 3),
    ("component: scf\nname: a\ninput:\n  src: ./src\n", "input", "unknown top-level key 'input'", 3),
    ("component: scf\nname: a\n", "inputs", "needs 'src' (the code folder) or 'image'", None),
]


@pytest.mark.parametrize(("document", "path", "message", "line"), DOCUMENTS)
def test_document_problems_have_path_message_and_line(
    make_project: MakeProject, document: str, path: str, message: str, line: int | None
) -> None:
    root = make_project(document=document)
    found = problems(root)
    assert [(p.path, p.line) for p in found][:1] == [(path, line)], found
    assert message in found[0].message
    assert found[0].file == str(root / "serverless.yml")


def test_bad_yaml_message_names_file_and_line(make_project: MakeProject) -> None:
    root = make_project(document="component: scf\nname: a\ninputs:\n  traffic: [0.1\n")
    text = str(ConfigError(problems(root)))
    assert text.startswith(f"{root / 'serverless.yml'}:5: not valid YAML: ")


def test_unknown_top_level_key_suggests_the_right_one(make_project: MakeProject) -> None:
    root = make_project(document="component: scf\nname: a\ninput:\n  src: ./src\n")
    assert problems(root)[0].hint == "did you mean 'inputs'?"


def test_command_inputs_is_tolerated_and_cli_app_org_win(make_project: MakeProject) -> None:
    document = "component: scf\nname: a\napp: shop\norg: o\ncommandInputs: {deploy: {}}\ninputs: {src: ./src}\n"
    project = load_project(make_project(document=document), app="web", org="acme", environ={})
    assert (project.app, project.org) == ("web", "acme")


def test_target_may_be_the_file_or_a_folder_with_serverless_yaml(tmp_path: Path) -> None:
    (tmp_path / "serverless.yaml").write_text("component: scf\nname: a\ninputs: {src: ./src}\n")
    assert load_project(tmp_path, environ={}).file == tmp_path / "serverless.yaml"
    assert load_project(tmp_path / "serverless.yaml", environ={}).root == tmp_path


def test_missing_serverless_yml_is_a_config_error(tmp_path: Path) -> None:
    [problem] = problems(tmp_path)
    assert problem.message.startswith("no serverless.yml found in")


def test_dates_stay_strings_and_line_map_covers_lists() -> None:
    data, lines = parse_yaml("a:\n  when: 2024-01-01\n  list:\n    - x: 1\n    - y\n", Path("s.yml"))
    assert data == {"a": {"when": "2024-01-01", "list": [{"x": 1}, "y"]}}
    assert lines == {"a": 1, "a.when": 2, "a.list": 3, "a.list[0]": 4, "a.list[0].x": 4, "a.list[1]": 5}


def test_line_falls_back_to_the_nearest_parent() -> None:
    find = line_finder({"inputs": 3, "inputs.events": 7, "inputs.events[0]": 8})
    assert find("inputs.events[0].timer.parameters.cronExpression") == 8
    assert find("inputs.traffic") == 3
    assert find("name") is None
