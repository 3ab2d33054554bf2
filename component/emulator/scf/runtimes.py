"""Which runtimes the emulator can run, how each worker starts, and what environment a handler sees.

* ``Python*``: the emulator's own interpreter runs :data:`PYTHON_WORKER`.
* ``Nodejs*``: ``node`` from the PATH runs ``node_worker.js`` (shipped in this package).
* ``CustomRuntime``: the code's own bootstrap, through a local Runtime API (``custom_runtime.py``).
* Anything else (Go, Java, PHP, .NET, a custom runtime…) cannot run here: the invocation is answered
  with ``FailedOperation.InvokeFunction`` naming the runtime, never with an empty success.

A handler's environment is what an SCF instance gives it, not the deploying shell's: ``PATH``,
``HOME`` and the locale of the emulator's process, the function's own variables, then the runtime's
built-in variables (``SCF_RUNTIME``, ``SCF_FUNCTIONNAME``, ``SCF_FUNCTIONVERSION``, ``SCF_NAMESPACE``,
``TENCENTCLOUD_REGION``, ``TENCENTCLOUD_RUNENV``, ``TENCENTCLOUD_TZ``, ``USER_CODE_ROOT``), which the
function's variables cannot override (SCF reserves those names). No cloud key of the deploying shell
ever reaches user code.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from component.emulator.core.errors import ApiError

from .models import FunctionConfig

NODE_WORKER = Path(__file__).with_name("node_worker.js")
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE")
RUNNABLE = ("Python and Node.js event functions, CustomRuntime functions whose bootstrap runs on this machine, "
            "and web functions whose scf_bootstrap starts node or python")

# argv: handler, request fd, answer fd. fds 1/2 are already the capture file (see worker.py).
PYTHON_WORKER = r"""
import importlib, json, os, sys, traceback
handler = sys.argv[1]
requests = os.fdopen(int(sys.argv[2]), "r", encoding="utf-8")
proto = os.fdopen(int(sys.argv[3]), "w", encoding="utf-8")
del sys.argv[1:]
sys.stdout.reconfigure(line_buffering=True)
sys.stderr.reconfigure(line_buffering=True)
sys.path.insert(0, ".")
func = None
for line in requests:
    request = json.loads(line)
    try:
        if func is None:
            module_name, func_name = handler.rsplit(".", 1)
            func = getattr(importlib.import_module(module_name.replace("/", ".")), func_name)
        outcome = {"ok": True, "result": func(request["event"], request["context"])}
    except BaseException as exc:
        outcome = {"ok": False, "type": type(exc).__name__, "message": str(exc), "trace": traceback.format_exc()}
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        text = json.dumps(outcome, default=str)
    except BaseException as exc:
        text = json.dumps({"ok": False, "type": type(exc).__name__, "message": str(exc),
                           "trace": traceback.format_exc()})
    proto.write(text + "\n")
    proto.flush()
"""


def cannot_run(runtime: str, why: str = "") -> ApiError:
    detail = why or f"the local emulator cannot run runtime {runtime!r}"
    return ApiError("FailedOperation.InvokeFunction",
                    f"调用函数失败。{detail} (it runs {RUNNABLE}); deploy to Tencent Cloud to run it")


def node_binary() -> str:
    found = shutil.which("node")
    if found is None:
        raise cannot_run("Nodejs", "the Node.js runtime needs `node` on the PATH of the emulator, none was found")
    return found


def is_custom(config: FunctionConfig) -> bool:
    return config.runtime.lower().startswith("custom")


def worker_command(config: FunctionConfig) -> list[str]:
    """The command of an event function's worker (the protocol fds are appended by ``Worker``)."""
    family = config.runtime.lower()
    if family.startswith("python"):
        return [sys.executable, "-c", PYTHON_WORKER, config.handler]
    if family.startswith("nodejs"):
        return [node_binary(), str(NODE_WORKER), config.handler]
    raise cannot_run(config.runtime)


def handler_env(config: FunctionConfig, slot: tuple[str, ...], workdir: Path) -> dict[str, str]:
    """The environment of a handler of ``slot`` = (region, namespace, function, version)."""
    region, namespace, name, version = slot if len(slot) == 4 else ("", "", "", "")
    env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
    env.setdefault("PATH", os.defpath)
    env.update({e["Key"]: e["Value"] for e in config.environment})
    env.update({
        "SCF_RUNTIME": config.runtime, "SCF_FUNCTIONNAME": name, "SCF_FUNCTIONVERSION": version,
        "SCF_NAMESPACE": namespace, "TENCENTCLOUD_REGION": region, "TENCENTCLOUD_RUNENV": "SCF",
        "TENCENTCLOUD_TZ": "UTC", "USER_CODE_ROOT": str(workdir),
    })
    return env
