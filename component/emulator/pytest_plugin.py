"""pytest plugin (entry point ``scf_emulator``): moto-style fixtures and the contract check.

``scf_emulator`` yields a started :class:`EmulatorServer` (fresh state per test) built
from ``scf_emulator_config``, which a test module can override to set a seed, a status
delay, a fake clock or limits.  Point the SDK at ``scf_emulator.endpoint`` with
``HttpProfile(endpoint=..., protocol="http")`` and the default key pair.

With the ini option ``scf_emulator_contract = true`` every answer of every emulator the
test session starts (in-process, or in a subprocess such as ``scf deploy --local``, which
inherits ``SCF_EMULATOR_CONTRACT_DIR``) is checked against the official SDK's models and
error-code lists (``contract.py``): the test during which a violation happened fails, and
the session fails at the end if any subprocess reported one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .core.config import EmulatorConfig
from .core.contract import read_violations
from .emulator import EmulatorServer, running_emulator

CONTRACT_ENV = "SCF_EMULATOR_CONTRACT_DIR"
_owned: list[Path] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("scf_emulator_contract", "check every emulator answer against the official SDK models",
                  type="bool", default=False)


def pytest_configure(config: pytest.Config) -> None:
    if not config.getini("scf_emulator_contract"):
        return
    base = os.environ.get(CONTRACT_ENV)
    if base is None:
        base = tempfile.mkdtemp(prefix="scf-contract-")
        _owned.append(Path(base))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    os.environ[CONTRACT_ENV] = str(Path(base) / worker) if worker and not base.endswith(worker) else base


def _report(found: list[dict[str, Any]]) -> str:
    lines = [f"{v['service']} {v['action']}: {problem}" for v in found for problem in v["problems"]]
    return "emulator answers break the published API contract:\n  " + "\n  ".join(lines)


@pytest.fixture(autouse=True)
def _scf_contract_check() -> Iterator[None]:
    folder = os.environ.get(CONTRACT_ENV)
    before = read_violations(Path(folder)) if folder else []
    yield
    if folder:
        found = read_violations(Path(folder))
        for old in before:
            found.remove(old)
        if found:
            pytest.fail(_report(found), pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for base in _owned:
        found = read_violations(base)
        if found:
            session.config.get_terminal_writer().line(_report(found), red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def scf_emulator_config() -> EmulatorConfig:
    return EmulatorConfig(seed=0)


@pytest.fixture
def scf_emulator(scf_emulator_config: EmulatorConfig) -> Iterator[EmulatorServer]:
    with running_emulator(scf_emulator_config) as server:
        yield server
