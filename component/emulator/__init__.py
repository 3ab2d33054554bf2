"""A moto-style fake of Tencent Cloud API 3.0: SCF 2018-04-16 and Monitor 2018-07-24.

It speaks the real wire protocol over HTTP, so the official ``tencentcloud`` SDK talks
to it unmodified (``HttpProfile(endpoint="127.0.0.1:PORT", protocol="http")``):
TC3-HMAC-SHA256 and legacy HmacSHA1/256 signatures are verified against one
configurable key pair, replies use Tencent's envelope and error codes.

Emulator extras, not in the cloud's answers (docs/fidelity.md): the ``Log`` of an
Invoke/InvokeFunction asked with ``LogType: Tail`` starts with ``START RequestId: <uuid>
Version: <N or $LATEST>``, raw HTTP callers get a top-level ``ExecutedVersion``, and API
Gateway stage responses carry ``X-Scf-Executed-Version``.  Every other answer is checked
against the official SDK's models by the contract test (``contract.py``).

This package imports nothing from the rest of ``component``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .keys import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

if TYPE_CHECKING:
    from .cli import run_emulator_cli
    from .core.config import EmulatorConfig, Limits
    from .core.faults import FAULT_KINDS
    from .emulator import EmulatorServer, running_emulator

# Lazy (PEP 562): ``scf deploy --endpoint`` reads only the default key pair, and must not pay for the
# server, the backend and http.server (#17 start-up). Each name is imported from its module on first use.
_LAZY = {
    "run_emulator_cli": ".cli",
    "EmulatorConfig": ".core.config",
    "Limits": ".core.config",
    "EmulatorServer": ".emulator",
    "running_emulator": ".emulator",
    "FAULT_KINDS": ".core.faults",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_SECRET_ID",
    "DEFAULT_SECRET_KEY",
    "FAULT_KINDS",
    "EmulatorConfig",
    "EmulatorServer",
    "Limits",
    "run_emulator_cli",
    "running_emulator",
]
