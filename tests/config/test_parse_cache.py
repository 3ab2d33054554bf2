"""An unchanged serverless.yml is answered from the parse cache without PyYAML; anything else is parsed (#17).

What must hold: the second load of an unchanged file does not import yaml and yields the same data
and lines; a changed file, an entry whose data or MAC was edited, an entry made under another user's
key, and a project without ``.serverless/`` are parsed again (and the last one writes nothing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from component.config.parsecache import CACHE_FILE

DOCUMENT = "component: scf\nname: cached\ninputs:\n  src: ./src\n  handler: index.main_handler\n  runtime: Python3.9\n"


def _load(project: Path, cache_home: Path) -> tuple[bool, object]:
    """(imported yaml?, [data, lines]) of load_yaml on the project's serverless.yml in a fresh interpreter."""
    code = (
        "import json, sys\nfrom pathlib import Path\nfrom component.config.yamlfile import load_yaml\n"
        f"data, lines = load_yaml(Path({str(project / 'serverless.yml')!r}))\n"
        "print(json.dumps(['yaml' in sys.modules, [data, lines]]))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    imported, parsed = json.loads(out)
    return bool(imported), parsed


def _edit_data(project: Path) -> None:
    path = project / ".serverless" / CACHE_FILE
    entries = json.loads(path.read_text())
    entries["serverless.yml"]["data"]["name"] = "forged"
    path.write_text(json.dumps(entries))


def _edit_mac(project: Path) -> None:
    path = project / ".serverless" / CACHE_FILE
    entries = json.loads(path.read_text())
    entries["serverless.yml"]["mac"] = "0" * 64
    path.write_text(json.dumps(entries))


def _edit_file(project: Path) -> None:
    (project / "serverless.yml").write_text(DOCUMENT.replace("cached", "changed"))


def _nothing(project: Path) -> None:
    return None


# (what happens between the first and the second load, second load imports yaml?, name it yields)
CASES: list[tuple[Callable[[Path], None], bool, str]] = [
    (_nothing, False, "cached"),
    (_edit_file, True, "changed"),
    (_edit_data, True, "cached"),
    (_edit_mac, True, "cached"),
]


@pytest.mark.parametrize(("between", "parses", "name"), CASES, ids=[c[0].__name__ for c in CASES])
def test_second_load(tmp_path: Path, between: Callable[[Path], None], parses: bool, name: str) -> None:
    project, cache_home = tmp_path / "app", tmp_path / "cache"
    (project / ".serverless").mkdir(parents=True)
    (project / "serverless.yml").write_text(DOCUMENT)
    assert _load(project, cache_home)[0] is True
    between(project)
    imported, (data, lines) = _load(project, cache_home)  # type: ignore[misc]
    assert (imported, data["name"]) == (parses, name)
    assert lines == {"component": 1, "name": 2, "inputs": 3, "inputs.src": 4, "inputs.handler": 5, "inputs.runtime": 6}


def test_an_entry_made_under_another_users_key_is_not_used(tmp_path: Path) -> None:
    project = tmp_path / "app"
    (project / ".serverless").mkdir(parents=True)
    (project / "serverless.yml").write_text(DOCUMENT)
    _load(project, tmp_path / "someone-else")
    assert _load(project, tmp_path / "me")[0] is True


def test_a_project_never_deployed_gets_no_cache_file(tmp_path: Path) -> None:
    (tmp_path / "serverless.yml").write_text(DOCUMENT)
    assert [_load(tmp_path, tmp_path / "cache")[0] for _ in range(2)] == [True, True]
    assert not (tmp_path / ".serverless").exists()
