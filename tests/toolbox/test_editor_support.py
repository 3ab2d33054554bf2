"""``scf schema`` and ``scf completion`` (issue 18): editor and shell support built from our own sources."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from component.cli import build_parser, main
from component.config.project import TOP_LEVEL_KEYS
from component.render import Reporter
from component.resources import data_dir
from component.toolbox.init import template_names
from component.tools import Tools
from tests.conftest import FakeClock, Run


def scf(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    clock = FakeClock()
    code = main(list(argv), Tools(reporter=Reporter(out=out, err=err), sleep=clock.sleep, clock=clock.now))
    return Run(code, out.getvalue(), err.getvalue())


def test_schema_describes_the_whole_document_around_our_inputs_schema() -> None:
    run = scf("schema")
    assert run.exit_code == 0
    schema = json.loads(run.stdout)
    inputs = json.loads((data_dir("schemas") / "scf.schema.json").read_text())
    assert schema["properties"]["inputs"]["properties"].keys() == inputs["properties"].keys()
    assert schema["properties"]["inputs"]["properties"]["memorySize"] == {
        **inputs["properties"]["memorySize"], "examples": [inputs["properties"]["memorySize"]["default"]]}
    assert schema["$defs"].keys() == inputs["$defs"].keys()
    assert sorted(schema["properties"]) == sorted(TOP_LEVEL_KEYS)
    assert all(p.get("title") and p.get("description") for p in schema["properties"].values())


@pytest.mark.parametrize(
    ("document", "valid"),
    [
        ({"component": "scf", "name": "hello", "inputs": {"src": "./src", "runtime": "Python3.9"}}, True),
        ({"component": "scf", "name": "hello", "stage": "prod", "inputs": {"src": "./src", "memorySize": 256}}, True),
        ({"component": "scf", "inputs": {"src": "./src"}}, False),  # no name
        ({"component": "scf", "name": "hello", "inputs": {"src": "./src", "memorySize": "big"}}, False),
        ({"component": "scf", "name": "hello", "plugins": []}, False),  # unknown top-level key
    ],
)
def test_the_schema_validates_documents_like_the_tool(document: dict[str, object], valid: bool) -> None:
    import jsonschema

    errors = list(jsonschema.Draft202012Validator(json.loads(scf("schema").stdout)).iter_errors(document))
    assert (not errors) == valid, errors


def bash_complete(script: Path, line: str) -> list[str]:
    words = line.split(" ")
    program = (
        f"source {script}\nCOMP_WORDS=({' '.join(repr(w) for w in words)})\nCOMP_CWORD={len(words) - 1}\n"
        "_scf_complete\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return sorted(filter(None, done.stdout.splitlines()))


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("completion") / "scf.bash"
    run = scf("completion", "bash")
    assert run.exit_code == 0
    path.write_text(run.stdout)
    return path


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("scf de", ["delete-alias", "delete_alias", "deploy"]),
        ("scf logs --f", ["--follow"]),
        ("scf logs --re", ["--record", "--request-id"]),
        ("scf metrics --al", ["--alias"]),
        ("scf completion ", ["bash", "zsh"]),
        ("scf init gr", ["grayscale"]),
        ("scf publish_ver --ta", ["--target"]),
        ("scf emulator --po", ["--port"]),
    ],
)
def test_bash_completion_offers_commands_options_and_choices(bash_script: Path, line: str, expected: list[str]) -> None:
    assert bash_complete(bash_script, line) == expected


def test_every_subcommand_and_option_is_in_both_scripts() -> None:
    parser = build_parser()
    bash, zsh = scf("completion", "bash").stdout, scf("completion", "zsh").stdout
    assert zsh.startswith("#compdef scf")
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, child in sub.choices.items():  # type: ignore[attr-defined]
        assert f"        {name}) " in bash and f"        {name}) _arguments" in zsh, name
        for action in child._actions:  # (scf emulator: its own parser's options, tested above)
            for option in action.option_strings:
                assert option in bash, (name, option)
    assert all(name in bash for name in template_names())


def test_an_unknown_shell_is_a_usage_error() -> None:
    run = scf("completion", "fish")
    assert run.exit_code == 2 and "invalid choice: 'fish'" in run.stderr


def _properties(node: object, path: str = "") -> list[tuple[str, dict[str, object]]]:
    """Every named property of a schema, with its dotted path (``[]`` for array items)."""
    if not isinstance(node, dict):
        return []
    found = []
    for name, child in (node.get("properties") or {}).items():
        found += [(f"{path}.{name}", child), *_properties(child, f"{path}.{name}")]
    for key in ("items", "additionalProperties"):
        found += _properties(node.get(key), f"{path}[]")
    for key in ("oneOf", "anyOf", "allOf"):
        for option in node.get(key) or []:
            found += _properties(option, path)
    return found


def test_every_property_has_a_title_a_description_and_a_valid_example() -> None:
    import jsonschema

    schema = json.loads(scf("schema").stdout)
    properties = _properties(schema) + _properties({"properties": schema["$defs"]}, "$defs")
    assert len(properties) > 200
    named = [(path, prop) for path, prop in properties if not (path.startswith("$defs.") and path.count(".") == 1)]
    missing = [(path, key) for path, prop in named for key in ("title", "description", "examples") if key not in prop]
    assert missing == []
    invalid = [(path, example) for path, prop in properties for example in prop.get("examples", [])  # type: ignore[attr-defined]
               if list(jsonschema.Draft202012Validator({**prop, "$defs": schema["$defs"]}).iter_errors(example))]
    assert invalid == []


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_the_zsh_script_parses(tmp_path: Path) -> None:
    script = tmp_path / "_scf"
    script.write_text(scf("completion", "zsh").stdout)
    done = subprocess.run(["zsh", "-n", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
