"""The command line itself: fast paths that must not load the SDK, usage errors, ``python -m``."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from component import __version__
from component.cli import build_parser

ROOT = Path(__file__).parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=60, check=False)


@pytest.mark.parametrize("argv", [["--version"], ["deploy", "--help"], ["--help"]])
def test_fast_paths_do_not_import_the_sdk(argv: list[str]) -> None:
    probe = (
        "import sys\nfrom component.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "heavy = ('tencentcloud', 'jsonschema', 'jinja2', 'requests')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "print('LOADED', loaded)\n"
    )
    result = run("-c", probe)
    assert "LOADED []" in result.stdout, result.stdout


def test_python_dash_m_is_the_same_cli() -> None:
    result = run("-m", "component", "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"scf-component {__version__}"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["deploy", "--no-such-flag"], "error: scf: unrecognized arguments: --no-such-flag (see --help)"),
        (["nope"], "error: scf: argument COMMAND: invalid choice: 'nope'"),
        (["deploy", "--local", "--endpoint", "127.0.0.1:1"], "--local and --endpoint exclude each other"),
        (["deploy", "--endpoint", "http://127.0.0.1:9000"], "--endpoint must be HOST:PORT without a scheme"),
        (["deploy", "--endpoint", "10.0.0.8:9000"], "--endpoint speaks plain http, so it must be on loopback"),
        (["info", "--inputs.traffic=0.1"], "error: --inputs is only accepted by deploy"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(argv: list[str], message: str) -> None:
    result = run("-m", "component", *argv, "--target", str(ROOT / "examples" / "hello"))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_each_command_alone_parses_as_with_every_command_built() -> None:
    """``build_parser(only=...)`` (what a command's start builds, #17) accepts and yields the same as the full one."""
    full = build_parser()
    for name, child in _subcommands(full).items():
        if name == "emulator":  # parsed by the emulator's own parser, before scf's
            continue
        alone = build_parser(only=name)
        assert list(_subcommands(alone)) in ([name], [name, name.replace("-", "_")], [name.replace("_", "-"), name])
        options = [o for a in child._actions for o in a.option_strings if a.nargs == 0 and o.startswith("--")]
        words = [str(next(iter(a.choices))) for a in child._actions if not a.option_strings and a.choices]
        argv = [name, *words, *(o for o in options if o not in ("--help", "--version"))]
        assert alone.parse_args(argv) == full.parse_args(argv), name
