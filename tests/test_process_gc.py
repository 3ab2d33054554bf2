"""The ``scf`` process and Python's cyclic collector (#17): off while the command starts, frozen survivors
at the first wait and at exit; callers of ``main`` with their own argv keep the collector untouched.
Each case runs in a fresh interpreter (the test process's own collector is left alone)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE_STATE = "import gc\nprint(gc.isenabled(), gc.get_freeze_count() > 0)"


def _state_after(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", f"{code}\n{PROBE_STATE}"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("steps", "enabled_frozen"),
    [
        ("pass", "True False"),
        ("process.start()", "False False"),
        ("process.start()\nprocess.sleep(0)", "True True"),  # the first wait ends the start-up
        ("process.start()\nprocess.settle()\nprocess.settle()", "True True"),
        ("process.settle()", "True False"),  # a collector that runs is left as it is
        ("process.start()\nprocess.finish()", "False True"),  # the interpreter's final collections skip survivors
    ],
)
def test_collector_state_after_each_step(steps: str, enabled_frozen: str) -> None:
    assert _state_after(f"from component import process\n{steps}") == enabled_frozen


@pytest.mark.parametrize(
    ("call", "enabled_frozen"),
    [
        ("sys.argv = ['scf', '--version']\ncall(main)", "False True"),  # the process: tuned
        ("call(lambda: main(['--version']))", "True False"),  # an in-process caller: untouched
    ],
)
def test_only_the_process_entry_tunes_the_collector(call: str, enabled_frozen: str) -> None:
    code = (
        "import contextlib, io, sys\nfrom component.cli import main\n"
        "def call(run):\n    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        f"        run()\n{call}"
    )
    assert _state_after(code) == enabled_frozen
