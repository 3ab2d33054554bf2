"""What a command imports before it starts working (#17 start-up): measured in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_endpoint_credentials_import_only_the_emulator_key_module() -> None:
    modules = _modules_after("from component.connect import _emulator_credentials\n_emulator_credentials()")
    assert sorted(m for m in modules if m.startswith("component.emulator")) == [
        "component.emulator",
        "component.emulator.keys",
    ]


def test_the_emulator_package_still_offers_its_names() -> None:
    modules = _modules_after("from component.emulator import EmulatorServer, FAULT_KINDS, Limits, running_emulator")
    loaded = {"component.emulator.emulator", "component.emulator.core.faults", "component.emulator.core.config"}
    assert loaded <= modules


@pytest.mark.parametrize(
    ("argv", "absent"),
    [
        (["--version"], {"tencentcloud", "jsonschema", "yaml", "traceback", "component.emulator"}),
        (["deploy", "--help"], {"tencentcloud", "jsonschema", "yaml", "component.emulator"}),
    ],
)
def test_version_and_help_import_no_heavy_module(argv: list[str], absent: set[str]) -> None:
    code = f"import sys\nfrom component.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    assert absent & _modules_after(code) == set()
