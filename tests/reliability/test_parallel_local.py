"""Parallel ``--local`` commands on one project keep each other's functions (#19 item 9).

Each ``--local`` command runs an embedded emulator that loads the project's state file and saves it
whole. Three processes deploy three functions of one project at once; afterwards the state holds all
three (before the lock, the last one to save won and the others' functions were lost).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reliability.conftest import make_project

NAMES = [f"fn-{i}" for i in range(3)]


def test_parallel_local_deploys_keep_every_function(tmp_path: Path) -> None:
    project = make_project(tmp_path / "app")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENT", "SCF_"))}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "component", "deploy", "--local", "--json", "--target", str(project),
             f"--inputs.name={name}"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name in NAMES
    ]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * len(NAMES), [err[-2000:] for _, err in results]
    state = json.loads((project / ".serverless" / "emulator-state.json").read_text())
    assert sorted(NAMES) == sorted(_function_names(state)), state.keys()
    waited = [err for _, err in results if "waiting for another --local command" in err]
    assert waited, "at least one command must have waited for the others"


def _function_names(state: object) -> list[str]:
    """Every ``FunctionName`` stored in the state, wherever the emulator keeps it."""
    found: list[str] = []
    if isinstance(state, dict):
        name = state.get("FunctionName") or state.get("name")
        if isinstance(name, str) and name.startswith("fn-"):
            found.append(name)
        for value in state.values():
            found += _function_names(value)
    elif isinstance(state, list):
        for value in state:
            found += _function_names(value)
    return sorted(set(found))
