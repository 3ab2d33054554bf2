"""pytest plugin (entry point ``scf_emulator``): moto-style fixtures.

``scf_emulator`` yields a started :class:`EmulatorServer` (fresh state per test) built
from ``scf_emulator_config``, which a test module can override to set a seed, a status
delay, a fake clock or limits.  Point the SDK at ``scf_emulator.endpoint`` with
``HttpProfile(endpoint=..., protocol="http")`` and the default key pair.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .config import EmulatorConfig
from .emulator import EmulatorServer, running_emulator


@pytest.fixture
def scf_emulator_config() -> EmulatorConfig:
    return EmulatorConfig(seed=0)


@pytest.fixture
def scf_emulator(scf_emulator_config: EmulatorConfig) -> Iterator[EmulatorServer]:
    with running_emulator(scf_emulator_config) as server:
        yield server
