"""Shared fixtures: a fake clock, an emulator on a real loopback port, and a way to run ``scf``.

The tool reaches the emulator only through the official SDK over HTTP (``--endpoint``), exactly as it
reaches the real cloud. The clock is shared: the emulator's status machine and the tool's waits both
read it, and the tool's ``sleep`` advances it, so "waiting 2 s for Updating" takes no real time.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from component.cli import main
from component.emulator import EmulatorConfig, EmulatorServer
from component.render import Reporter
from component.tools import Tools

FIXTURES = Path(__file__).parent / "fixtures" / "projects"
SECRET_VARS = (
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENT_SECRET_ID",
    "TENCENT_SECRET_KEY",
    "TENCENT_TOKEN",
    "SCF_ENDPOINT",
    "GITHUB_STEP_SUMMARY",
)


class FakeClock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.slept = 0.0

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
            self.slept += seconds


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cloud:
    server: EmulatorServer
    clock: FakeClock
    runs: list[Run] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    def calls(self) -> list[str]:
        return [str(entry["action"]) for entry in self.server.request_log()]

    def scf(self, *argv: str) -> Run:
        """Run ``scf`` against this emulator, with the fake clock; return exit code and both streams."""
        out, err = io.StringIO(), io.StringIO()
        tools = Tools(
            reporter=Reporter(out=out, err=err, clock=self.clock.now), sleep=self.clock.sleep, clock=self.clock.now
        )
        args = list(argv)
        if args and args[0] != "emulator" and "--local" not in args:
            args += ["--endpoint", self.endpoint]
        code = main(args, tools)
        run = Run(code, out.getvalue(), err.getvalue())
        self.runs.append(run)
        return run


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # what a user's other projects learned
    for name in SECRET_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("HTTPS_PROXY", raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud(clock: FakeClock) -> Iterator[Cloud]:
    config = EmulatorConfig(clock=clock.now, status_delay=0.0, seed=7)
    with EmulatorServer(config) as server:
        yield Cloud(server, clock)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the demo project: an event function with a Python handler."""
    root = tmp_path / "hello"
    shutil.copytree(
        Path(__file__).parent.parent / "examples" / "hello", root, ignore=shutil.ignore_patterns(".serverless")
    )
    return root


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns(".serverless"))
    return target


os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
