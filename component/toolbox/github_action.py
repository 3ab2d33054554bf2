"""What the GitHub Action (``action.yml`` at the repository root) runs: ``scf deploy --json``, then the
deploy's outputs as step outputs.

Inputs arrive as environment variables set by the action (``SCF_ACTION_TARGET``, ``SCF_ACTION_STAGE``,
``SCF_ACTION_INPUTS``: one ``KEY=VALUE`` override per line, ``SCF_ACTION_ARGS``: extra arguments, split
like a shell would). Step outputs are appended to ``$GITHUB_OUTPUT``: ``function-name``, ``version``
(``lastVersion``), ``traffic``, ``alias``, ``routing`` and ``outputs`` (the whole JSON document). The
Markdown step summary is the one ``scf deploy`` writes itself when ``GITHUB_STEP_SUMMARY`` is set.
The exit code is ``scf deploy``'s.

Run as ``python -m component.toolbox.github_action``.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def deploy_argv(env: Mapping[str, str]) -> list[str]:
    """The ``scf deploy`` command line the action's inputs describe."""
    argv = ["deploy", "--json", "--target", env.get("SCF_ACTION_TARGET") or "."]
    if env.get("SCF_ACTION_STAGE"):
        argv += ["--stage", env["SCF_ACTION_STAGE"]]
    overrides = [line.strip() for line in (env.get("SCF_ACTION_INPUTS") or "").splitlines() if line.strip()]
    if overrides:
        argv += ["--inputs", *overrides]
    return argv + shlex.split(env.get("SCF_ACTION_ARGS") or "")


def step_outputs(document: Any) -> dict[str, str]:
    """The step outputs for one deploy's JSON document (a project of several instances: only ``outputs``)."""
    found = {"outputs": json.dumps(document, ensure_ascii=False)}
    if isinstance(document, dict) and "functionName" in document:
        routing = document.get("routing")
        found.update({
            "function-name": str(document["functionName"]),
            "version": str(document.get("lastVersion", "")),
            "traffic": str(document.get("traffic", "")),
            "alias": str(document.get("aliasName") or "$DEFAULT"),
            "routing": routing if isinstance(routing, str) else json.dumps(routing or {}),
        })
    return found


def write_outputs(path: Path, outputs: Mapping[str, str]) -> None:
    """Append ``name<<DELIM`` blocks (safe for any value, multi-line included) to ``$GITHUB_OUTPUT``."""
    with path.open("a", encoding="utf-8") as handle:
        for name, value in outputs.items():
            delimiter = f"scf_{uuid.uuid4().hex}"
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def run(env: Mapping[str, str], scf: Sequence[str]) -> int:
    done = subprocess.run([*scf, *deploy_argv(env)], stdout=subprocess.PIPE, text=True, check=False)
    sys.stdout.write(done.stdout)
    try:
        document = json.loads(done.stdout) if done.stdout.strip() else None
    except ValueError:
        document = None
    failed = isinstance(document, dict) and "error" in document and "functionName" not in document
    if document is not None and not failed and env.get("GITHUB_OUTPUT"):  # a failure's document sets nothing
        write_outputs(Path(env["GITHUB_OUTPUT"]), step_outputs(document))
    return done.returncode


def main() -> int:
    return run(os.environ, [sys.executable, "-m", "component"])


if __name__ == "__main__":
    sys.exit(main())
