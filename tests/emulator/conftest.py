"""Fixtures for the emulator suite: a started emulator and SDK clients (helpers in ``emu_sdk``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emu_sdk import monitor_client, scf_client
from tencentcloud.monitor.v20180724.monitor_client import MonitorClient
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, EmulatorServer, running_emulator


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    return EmulatorConfig(seed=1234)


@pytest.fixture
def emu(emulator_config: EmulatorConfig) -> Iterator[EmulatorServer]:
    with running_emulator(emulator_config) as server:
        yield server


@pytest.fixture
def scf(emu: EmulatorServer) -> ScfClient:
    return scf_client(emu.endpoint)


@pytest.fixture
def monitor(emu: EmulatorServer) -> MonitorClient:
    return monitor_client(emu.endpoint)
