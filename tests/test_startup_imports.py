"""What a command imports before it starts working (#17 start-up): measured in a fresh interpreter."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize(("env_file", "imports_dotenv"), [(None, False), ("A=1\n", True)])
def test_dotenv_is_imported_only_for_a_project_with_a_dotenv_file(
    tmp_path: Path, env_file: str | None, imports_dotenv: bool
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "serverless.yml").write_text(
        "component: scf\nname: app\ninputs:\n  src: ./src\n  handler: index.main_handler\n  runtime: Python3.9\n"
    )
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file)
    code = "from pathlib import Path\nfrom component.config.project import load_project\n"
    code += f"load_project(Path({str(tmp_path)!r}))"
    assert ("dotenv" in _modules_after(code)) is imports_dotenv


def test_a_deploy_renders_its_result_and_step_summary_without_jinja2(tmp_path: Path) -> None:
    root = Path(__file__).parent.parent
    shutil.copytree(root / "examples" / "hello", tmp_path / "hello", ignore=shutil.ignore_patterns(".serverless"))
    argv = ["deploy", "--local", "--target", str(tmp_path / "hello")]
    summary = tmp_path / "summary.md"
    code = f"import os\nos.environ['GITHUB_STEP_SUMMARY'] = {str(summary)!r}\nfrom component.cli import main\n"
    code += f"assert main({argv!r}) == 0"
    assert "jinja2" not in _modules_after(code)
    assert summary.read_text().startswith("### scf deploy: `hello-dev-demo` (dev)\n")
