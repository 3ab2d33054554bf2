"""Loaded (``PYTHONPATH``) into a web function that the scf-component emulator starts.

A socket the bootstrap binds to SCF's web port 9000 is bound to the emulator's free loopback port
(``SCF_EMULATOR_WEB_PORT``) instead, so several web functions can run side by side on one machine.
"""

from __future__ import annotations

import os
import socket
from typing import Any

SCF_PORT = 9000
_TARGET = int(os.environ.get("SCF_EMULATOR_WEB_PORT") or 0)
_LOOPBACK = {socket.AF_INET: "127.0.0.1", socket.AF_INET6: "::1"}
_bind = socket.socket.bind


def _remapped(self: socket.socket, address: Any) -> None:
    if isinstance(address, tuple) and len(address) >= 2 and address[1] == SCF_PORT and self.family in _LOOPBACK:
        address = (_LOOPBACK[self.family], _TARGET, *address[2:])
    _bind(self, address)


if _TARGET:
    setattr(socket.socket, "bind", _remapped)  # noqa: B010 (a method replaced on the class)
