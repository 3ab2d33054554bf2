"""The schema pass is skipped only for inputs validated clean before, keyed by content and schema (#17).

What must hold: an unchanged project does not import jsonschema again; any changed value, or a
changed schema, is validated again; a cache entry made without this user's key is worth nothing; and
the rules that are not the schema's still run on a cache hit.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from component.config.project import load_project
from component.config.validate import check_inputs
from component.config.validcache import CACHE_FILE, ValidationCache
from component.errors import ConfigError

VALID = """component: scf
name: cached
inputs:
  src: ./src
  handler: index.main_handler
  runtime: Python3.9
  region: ap-guangzhou
  memorySize: {memory}
"""
GOOD_INPUTS: dict[str, Any] = {"src": "./src", "handler": "index.main_handler", "runtime": "Python3.9"}
BAD_INPUTS: dict[str, Any] = {**GOOD_INPUTS, "memorySize": "lots"}


def _project(tmp_path: Path, memory: object = 128) -> Path:
    (tmp_path / "src").mkdir(parents=True, exist_ok=True)
    (tmp_path / ".serverless").mkdir(exist_ok=True)  # as after a first deploy
    (tmp_path / "serverless.yml").write_text(VALID.format(memory=memory), encoding="utf-8")
    return tmp_path


def _imports_jsonschema_when_loading(project: Path, cache_home: Path) -> bool:
    code = (
        "import sys\nfrom pathlib import Path\nfrom component.config.project import load_project\n"
        f"load_project(Path({str(project)!r}))\nprint('jsonschema' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_valid_inputs_never_import_jsonschema_and_invalid_ones_do_for_the_messages(tmp_path: Path) -> None:
    """New, unchanged and edited valid files are accepted by the quick check (or the cache); only a file with
    a problem pays for jsonschema, which writes the messages (component.config.quickcheck)."""
    project = _project(tmp_path / "app")
    cache_home = tmp_path / "cache"
    steps = [(None, False), (None, False), (256, False), (256, False)]  # (new memorySize, imports jsonschema?)
    for memory, imports in steps:
        if memory is not None:
            _project(project, memory)
        assert _imports_jsonschema_when_loading(project, cache_home) is imports, (memory, imports)
    assert (project / ".serverless" / CACHE_FILE).is_file()
    _project(project, '"lots"')
    with pytest.raises(subprocess.CalledProcessError) as failed:
        _imports_jsonschema_when_loading(project, cache_home)
    assert "inputs.memorySize" in failed.value.stderr


def test_a_cached_valid_file_edited_to_a_bad_value_still_cannot_deploy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = _project(tmp_path / "app")
    load_project(project)
    load_project(project)  # now served from the cache
    _project(project, '"lots"')
    with pytest.raises(ConfigError) as caught:
        load_project(project)
    assert "inputs.memorySize" in str(caught.value)


def _cache(tmp_path: Path, *, key: str = "user", schema: str = "schema-1") -> ValidationCache:
    (tmp_path / ".serverless").mkdir(exist_ok=True)
    return ValidationCache(tmp_path / ".serverless", tmp_path / f"{key}.key", schema)


def _memory_problems(inputs: dict[str, Any], cache: ValidationCache) -> list[str]:
    checked = check_inputs(inputs, file=Path("serverless.yml"), line_of={}, cache=cache)
    return [p.path for p in checked.problems]


@pytest.mark.parametrize(
    ("checked_with", "validated"),
    [
        ({}, False),  # same key, same schema: the entry is trusted
        ({"schema": "schema-2"}, True),  # another schema version: validated again
        ({"key": "other-user"}, True),  # an entry made without this user's key
    ],
    ids=["same key and schema", "schema changed", "another key"],
)
def test_an_entry_counts_only_for_the_same_content_schema_and_key(
    tmp_path: Path, checked_with: dict[str, str], validated: bool
) -> None:
    # An entry for BAD inputs can only exist if something forged it: it shows exactly when the cache is trusted.
    forged = _cache(tmp_path)
    digest = forged.digest(BAD_INPUTS)
    assert digest is not None
    forged.remember(digest)
    expected = ["inputs.memorySize"] if validated else []
    assert _memory_problems(BAD_INPUTS, _cache(tmp_path, **checked_with)) == expected


def test_a_plain_digest_written_by_the_repository_is_not_an_entry(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    folder = tmp_path / ".serverless"
    plain = json.dumps(BAD_INPUTS, sort_keys=True, separators=(",", ":"))
    forged = [hashlib.sha256(f"{cache.schema}\n{plain}".encode()).hexdigest()]
    (folder / CACHE_FILE).write_text(json.dumps({"schema": cache.schema, "valid": forged}), encoding="utf-8")
    assert _memory_problems(BAD_INPUTS, cache) == ["inputs.memorySize"]


def test_cross_field_rules_still_run_on_a_cache_hit(tmp_path: Path) -> None:
    inputs = {**GOOD_INPUTS, "timeout": 901}  # valid for the schema, refused by a cross-field rule
    cache = _cache(tmp_path)
    digest = cache.digest(inputs)
    assert digest is not None
    cache.remember(digest)
    assert _memory_problems(inputs, cache) == ["inputs.timeout"]


def test_only_clean_inputs_are_remembered(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    _memory_problems(BAD_INPUTS, cache)
    _memory_problems({**GOOD_INPUTS, "codeUri": "./src"}, cache)  # an ignored key: a warning to show again
    assert not (tmp_path / ".serverless" / CACHE_FILE).exists()
    _memory_problems(GOOD_INPUTS, cache)
    digest = cache.digest(GOOD_INPUTS)
    assert digest is not None
    assert cache.known(digest)


def test_loading_a_project_creates_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = tmp_path / "app"
    (project / "src").mkdir(parents=True)
    (project / "serverless.yml").write_text(VALID.format(memory=128), encoding="utf-8")
    load_project(project)
    assert not (project / ".serverless").exists()


def test_an_unusable_key_folder_means_no_cache_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    cache = ValidationCache(tmp_path / ".serverless", tmp_path / "not-a-folder" / "validation.key", "schema-1")
    assert cache.digest(GOOD_INPUTS) is None
    assert _memory_problems(BAD_INPUTS, cache) == ["inputs.memorySize"]
    assert _memory_problems(GOOD_INPUTS, cache) == []
