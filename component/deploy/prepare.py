"""Before packaging ``src``: keep it inside the project, and run ``src.hook`` to build ``dist``.

The repository being deployed may be hostile (SECURITY.md). Two things here guard the build machine:

* ``src`` (and ``dist``, and the folder a hook runs in) must resolve inside the folder holding
  ``serverless.yml`` (or the root of a project of several instances, :func:`project_boundary`):
  ``src: ../..``, an absolute path or a committed symbolic link would otherwise
  package files from elsewhere on the machine (a home directory's credentials) and send them to the
  cloud. The person running the deploy may allow it with ``SCF_ALLOW_SRC_OUTSIDE=1`` in the process
  environment; a project's ``.env`` cannot (it is not read here).
* ``src: {src, hook, dist}`` runs ``hook`` in a shell in ``src`` and packages ``dist``, as the Node
  CLI does (a hook without ``dist`` is ignored there too, with a warning here). The command is printed
  before it runs, its output goes to stderr (stdout keeps the result), and it does not get the cloud
  credentials: the variables holding keys and tokens are removed from its environment. A failing
  hook stops the deploy before any call (exit 2).
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

from component.config.project import FILE_NAMES
from component.deploy.spec import LocalCode
from component.errors import PackagingError
from component.render import Reporter

ALLOW_OUTSIDE = "SCF_ALLOW_SRC_OUTSIDE"
#: Never given to a build hook: the keys the deploy signs with.
CREDENTIAL_VARIABLES = frozenset({
    "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN",
    "TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_TOKEN", "SCF_EMULATOR_SECRET_KEY",
})


def prepare_source(code: LocalCode, reporter: Reporter) -> None:
    if code.project is not None:
        boundary = project_boundary(code.project)
        for path, field in ((code.hook_dir, "inputs.src.src"), (code.src, _src_field(code))):
            if path is not None:
                check_inside(path, boundary, field)
    if code.hook and code.hook_dir is not None:
        run_hook(code.hook, code.hook_dir, reporter)
    elif code.hook:
        reporter.warn("inputs.src.hook is ignored without inputs.src.dist (as the Node component does)")


def _has_config(folder: Path) -> bool:
    return any((folder / name).is_file() for name in FILE_NAMES)


def project_boundary(project: Path) -> Path:
    """The folder of ``serverless.yml``, or the root of a project of several instances holding it: a
    parent folder with no ``serverless.yml`` of its own and at least two instance subfolders (their
    code is commonly shared, ``src: ../src``)."""
    parent = project.parent
    if parent == project or _has_config(parent):
        return project
    try:
        instances = [p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".") and _has_config(p)]
    except OSError:
        return project
    return parent if len(instances) >= 2 else project


def _src_field(code: LocalCode) -> str:
    return "inputs.src.dist" if code.hook_dir is not None else "inputs.src"


def check_inside(path: Path, project: Path, field: str) -> None:
    if os.environ.get(ALLOW_OUTSIDE) == "1":
        return
    real, root = os.path.realpath(path), os.path.realpath(project)
    if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
        return
    shown = str(path) if real == str(path) else f"{path} (resolves to {real})"
    raise PackagingError(
        f"{field}: {shown} is outside the project {project}: files from elsewhere on this "
        f"machine would be uploaded; move the code into the project, or set {ALLOW_OUTSIDE}=1 in the "
        "environment to allow it"
    )


def _forward(process: subprocess.Popen[str], reporter: Reporter) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        reporter.err.write(reporter.scrub(f"  | {line.rstrip()}") + "\n")


def run_hook(command: str, cwd: Path, reporter: Reporter) -> None:
    if not cwd.is_dir():
        raise PackagingError(f"inputs.src.src: {cwd} is not a folder: cannot run inputs.src.hook there")
    reporter.step(f"running inputs.src.hook in {cwd}: {command}")
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARIABLES}
    process = subprocess.Popen(  # a user-configured build command is the point of src.hook
        command, shell=True, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
    )
    # Forward its output as it comes; a background child that keeps the pipe open must not hold the
    # deploy once the hook itself has exited, so the reader is only waited for briefly then.
    forward = threading.Thread(target=_forward, args=(process, reporter), daemon=True)
    forward.start()
    code = process.wait()
    forward.join(timeout=1.0)
    if code != 0:
        raise PackagingError(f"inputs.src.hook `{command}` failed with exit code {code} (in {cwd}); fix the build")
