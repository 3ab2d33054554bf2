"""How the ``scf`` process treats Python's cyclic garbage collector (#17 start-up and exit).

A command allocates most of its objects while it imports (modules, classes, the SDK's models): they
live until the process ends, so collecting them finds nothing, yet in CPython 3.11 the collector walks
them again and again while they load, and once more when the interpreter exits (≈40 ms of CPU on a
deploy of 0.2 s, measured with ``benchmarks/startup.py``). So the console script:

* ``start``: no cyclic collection during the start-up;
* ``settle`` at the first wait (the real ``sleep`` of a command is :func:`sleep`): what is alive then
  is frozen (kept out of every later collection) and collection resumes, so a long command (a rollout,
  ``status --watch``, the emulator) still frees its cyclic garbage;
* ``finish``: freeze what is alive before the interpreter's final collections, which then skip it.

Reference counting frees everything that is not in a cycle all along. In-process callers of
``component.cli.main`` with their own argv (tests) keep the collector as it is.
"""

from __future__ import annotations

import gc
import time


def start() -> None:
    gc.disable()


def settle() -> None:
    """End of the start-up: freeze what is alive and collect cyclic garbage again from here on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def sleep(seconds: float) -> None:
    """``time.sleep`` for the real CLI: the first wait ends the start-up (see :func:`settle`)."""
    settle()
    time.sleep(seconds)


def finish() -> None:
    gc.freeze()
