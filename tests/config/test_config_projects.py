"""Every shipped shape loads and validates: the fixture projects, the shared examples, serverless.yml.example."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from component.config.project import Project, load_project
from component.config.validate import validate_inputs

REPO = Path(__file__).resolve().parents[2]
PROJECTS = REPO / "tests" / "fixtures" / "projects"
EXAMPLES = Path("/work/shared/examples")
FIXTURE_ENV = {"PATH": "/usr/bin"}  # a near-empty real environment: fixtures must bring their own .env


def fixture_projects() -> list[Path]:
    return sorted(p for p in PROJECTS.iterdir() if (p / "serverless.yml").is_file())


@pytest.mark.parametrize("root", fixture_projects(), ids=lambda p: p.name)
def test_every_fixture_project_loads_and_validates(root: Path) -> None:
    project = load_project(root, environ=FIXTURE_ENV)
    assert project.file == root / "serverless.yml"
    assert project.root == root
    assert project.component == "scf"
    src = project.inputs["src"]
    folder = src["src"] if isinstance(src, dict) else src
    assert (root / folder).is_dir()
    assert "${" not in repr(project.inputs)


def test_the_fixture_set_covers_every_example_and_the_playbook() -> None:
    names = {p.name for p in fixture_projects()}
    assert {"01-event-basic", "02-full-config", "03-web-function", "04-triggers"} <= names
    assert {"05-grayscale-default", "06-release-alias", "seed-playbook"} <= names


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="shared examples are not mounted")
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yml")), ids=lambda p: p.stem)
def test_fixture_is_a_verbatim_copy_of_the_shared_example(example: Path) -> None:
    assert (PROJECTS / example.stem / "serverless.yml").read_text() == example.read_text()


@pytest.mark.parametrize("root", fixture_projects(), ids=lambda p: p.name)
def test_schema_accepts_the_raw_shape_of_every_example(root: Path) -> None:
    """Before variables are resolved, too: the schema must not reject ``${...}`` placeholders by type."""
    raw = yaml.safe_load((root / "serverless.yml").read_text())["inputs"]
    raw.pop("name", None)  # `${name}-${stage}-${app}` only matches the name pattern once resolved
    assert validate_inputs(raw, file=root / "serverless.yml", line_of={}) == []


def test_full_config_resolves_variables_from_its_env_file() -> None:
    project = load_project(PROJECTS / "02-full-config", environ=FIXTURE_ENV)
    assert project.stage == "dev"
    assert project.inputs["name"] == "orders-dev-shop"
    assert project.inputs["description"] == "Orders API for shop (dev)"
    assert project.inputs["environment"]["variables"] == {"DB_HOST": "db.internal", "LOG_LEVEL": "info", "RETRIES": 3}


def test_full_config_real_environment_wins_over_env_file() -> None:
    project = load_project(PROJECTS / "02-full-config", environ={"STAGE": "prod", "DB_HOST": "db.prod"})
    assert (project.stage, project.inputs["name"]) == ("prod", "orders-prod-shop")
    assert project.inputs["environment"]["variables"]["DB_HOST"] == "db.prod"


def test_line_of_points_at_keys_in_the_file() -> None:
    project = load_project(PROJECTS / "06-release-alias", environ=FIXTURE_ENV)
    lines = (PROJECTS / "06-release-alias" / "serverless.yml").read_text().splitlines()
    for path in ("inputs.traffic", "inputs.aliasName", "inputs.src"):
        key = path.rsplit(".", 1)[1]
        assert lines[project.line_of[path] - 1].strip().startswith(f"{key}:")


def load_example() -> Project:
    return load_project(REPO / "serverless.yml.example", environ=FIXTURE_ENV)


def test_serverless_yml_example_is_the_release_step_of_the_playbook() -> None:
    inputs = load_example().inputs
    assert (inputs["aliasName"], inputs["traffic"], inputs["publish"]) == ("release", 0.1, True)
    assert inputs["runtime"] == "Python3.9"
    assert inputs["handler"] == "index.main_handler"
    assert inputs["src"] == "./src"


def test_seed_playbook_fixture_is_serverless_yml_example() -> None:
    assert (PROJECTS / "seed-playbook" / "serverless.yml").read_text() == (REPO / "serverless.yml.example").read_text()


def commented_block(first: str) -> str:
    """The commented-out YAML block of serverless.yml.example starting at ``# <first>``, uncommented."""
    lines = (REPO / "serverless.yml.example").read_text().splitlines()
    uncommented = [re.sub(r"^\s*#", "", line) if line.lstrip().startswith("#") else None for line in lines]
    start = next(i for i, text in enumerate(uncommented) if text is not None and text.strip() == first)
    column = len(uncommented[start] or "") - len((uncommented[start] or "").lstrip())
    block = []
    for text in uncommented[start:]:
        if text is None or not text.strip() or len(text) - len(text.lstrip()) < column:
            break
        block.append(text)
    return textwrap.dedent("\n".join(block))


@pytest.mark.parametrize(("first", "keys"), [("rollout:", {"rollout"}), ("aliasName: prepub", {"aliasName", "rules"})])
def test_commented_blocks_of_the_example_validate_when_uncommented(first: str, keys: set[str]) -> None:
    block = yaml.safe_load(commented_block(first))
    assert set(block) == keys
    inputs = {k: v for k, v in load_example().inputs.items() if k != "traffic"} | block
    assert validate_inputs(inputs, file=REPO / "serverless.yml.example", line_of={}) == []
