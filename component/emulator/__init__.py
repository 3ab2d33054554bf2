"""A moto-style fake of Tencent Cloud API 3.0: SCF 2018-04-16, Monitor 2018-07-24, API Gateway 2018-08-08,
CLS 2020-10-16, Tag 2018-08-13 and CAM 2019-01-16.

It speaks the real wire protocol over HTTP, so the official ``tencentcloud`` SDK talks
to it unmodified (``HttpProfile(endpoint="127.0.0.1:PORT", protocol="http")``):
TC3-HMAC-SHA256 and legacy HmacSHA1/256 signatures are verified against one
configurable key pair, replies use Tencent's envelope and error codes.

Layout (moto's core/service split): ``core/`` holds what every service shares (HTTP server, request
decoding, signatures, the request pipeline, envelope, errors, faults, request log, state file, config,
the contract check); each service is a package (``scf``, ``monitor``, ``apigateway``, ``cls``, ``tag``,
``cam``) of handler functions taking its store; ``dispatch.py`` maps (service, action) to a handler and
its store, ``backend.py`` composes the stores, ``emulator.py`` is :class:`EmulatorServer`.  A new action:
a handler in its service's package and one row in ``dispatch.py`` (docs/fidelity.md).

Emulator extras, not in the cloud's answers (docs/fidelity.md): the ``Log`` of an
Invoke/InvokeFunction asked with ``LogType: Tail`` starts with ``START RequestId: <uuid>
Version: <N or $LATEST>``, raw HTTP callers get a top-level ``ExecutedVersion``, and API
Gateway stage responses carry ``X-Scf-Executed-Version``.  Every other answer is checked
against the official SDK's models by the contract test (``core/contract.py``).

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
