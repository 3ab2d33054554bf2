"""Fixtures for the emulator suite: a started emulator and SDK clients (helpers in ``emu_sdk``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emu_sdk import monitor_client, scf_client
from tencentcloud.monitor.v20180724.monitor_client import MonitorClient
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, EmulatorServer


@pytest.fixture
def emulator_config() -> EmulatorConfig:
    return EmulatorConfig(seed=1234)


@pytest.fixture
def scf_emulator_config(emulator_config: EmulatorConfig) -> EmulatorConfig:
    """The suite's configuration, handed to the plugin's own fixture (so the plugin is what runs)."""
    return emulator_config


@pytest.fixture
def emu(scf_emulator: EmulatorServer) -> Iterator[EmulatorServer]:
    yield scf_emulator


@pytest.fixture
def scf(emu: EmulatorServer) -> ScfClient:
    return scf_client(emu.endpoint)


@pytest.fixture
def monitor(emu: EmulatorServer) -> MonitorClient:
    return monitor_client(emu.endpoint)
