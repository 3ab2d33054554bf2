"""Every exit code the tool can end with is explained in the README's "Exit codes" table.

A user scripting around ``scf`` reads that table; a code missing from it (a paused rollout exits 6)
leaves them guessing whether the deploy happened."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from component.errors import ScfError

README = Path(__file__).parents[1] / "README.md"
# the modules that define ScfError subclasses outside component.errors
DEFINING_MODULES = ("component.deploy.verify", "component.deploy.executor", "component.release.operations")


def every_error_class(root: type[ScfError] = ScfError) -> list[type[ScfError]]:
    found = [root]
    for sub in root.__subclasses__():
        found += every_error_class(sub)
    return found


def readme_exit_codes() -> set[int]:
    section = README.read_text(encoding="utf-8").split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    return {int(code) for code in re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)}


def test_every_exit_code_an_error_carries_is_in_the_readme_table() -> None:
    for module in DEFINING_MODULES:
        importlib.import_module(module)
    codes = {cls.exit_code: cls.__name__ for cls in every_error_class()}
    missing = {code: name for code, name in codes.items() if code not in readme_exit_codes()}
    assert missing == {}


def test_the_readme_table_lists_success_and_interruption() -> None:
    assert {0, 130} <= readme_exit_codes()
