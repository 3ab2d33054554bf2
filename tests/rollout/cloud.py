"""A cloud whose wall clock is fake too, with live traffic generated while the tool sleeps.

Shared by the rollout tests (``tests/rollout``) and the joint rollout tests (``tests/multi``).

The rollout measures time twice: the monotonic clock (waits) and the wall clock (Monitor windows,
step start times). Both come from one :class:`FakeClock` here, and the emulator stamps invocations
with the same wall clock. Each ``sleep`` of the tool advances time in slices and invokes the alias
through the official SDK after each slice, so the Monitor figures come from real routing decisions.
``on_sleep`` callbacks let a test act as a second process in the middle of a rollout.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from component.cli import main
from component.cloud.api import AliasInfo, ScfApi
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.deploy.release_record import parse_record
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from component.errors import CloudError
from component.render import Reporter
from component.tools import Tools
from tests.conftest import FakeClock, Run

WALL_BASE = 1_767_225_600.0  # 2026-01-01T08:00:00+08:00, a whole minute
FUNCTION = "canary-prod-shop"
SLICES = 4


@dataclass
class RolloutCloud:
    server: EmulatorServer
    clock: FakeClock
    api: ScfApi
    per_minute: int = 0  # alias invocations generated per minute of sleep
    on_sleep: list[Callable[[int], None]] = field(default_factory=list)  # called with the sleep count
    sleeps: int = 0
    served: dict[str, int] = field(default_factory=dict)
    owed: float = 0.0  # traffic due but not sent yet (a short sleep owes a fraction of a call)

    def wall(self) -> float:
        return WALL_BASE + self.clock.now()

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        for callback in list(self.on_sleep):
            callback(self.sleeps)
        for _ in range(SLICES):
            self.clock.sleep(seconds / SLICES)
            self.owed += self.per_minute * seconds / 60 / SLICES
            while self.owed >= 1 - 1e-9:
                self.owed -= 1
                self.invoke()

    def invoke(self) -> None:
        version = self.invoke_alias(FUNCTION)
        if version is not None:
            self.served[version] = self.served.get(version, 0) + 1

    def invoke_alias(self, function: str) -> str | None:
        """Invoke ``function``'s ``release`` alias: the version that answered, or None before it exists."""
        try:
            body = self.api.scf(
                "Invoke", {"FunctionName": function, "Qualifier": "release", "Namespace": "default", "LogType": "Tail"}
            )  # the log's START line: an emulator extra
        except CloudError:
            return None  # not deployed yet
        return str(body["Result"]["Log"]).splitlines()[0].rsplit(" ", 1)[-1]

    def scf(self, *argv: str) -> Run:
        """A separate ``scf`` run: nothing shared with other runs but the cloud and the clocks."""
        out, err = io.StringIO(), io.StringIO()
        reporter = Reporter(out=out, err=err, clock=self.clock.now)
        tools = Tools(reporter=reporter, sleep=self.sleep, clock=self.clock.now, wall=self.wall)
        code = main([*argv, "--endpoint", self.server.endpoint], tools)
        return Run(code, out.getvalue(), err.getvalue())

    def alias(self) -> AliasInfo:
        found = self.api.get_alias(FUNCTION, "release")
        assert found is not None
        return found

    def rollout(self) -> dict[str, Any]:
        record = parse_record(self.alias().description)
        assert record.rollout is not None, self.alias().description
        return dict(record.rollout)

    def recorded(self) -> dict[str, Any]:
        """The rollout state on the alias now ({} when there is none): lets a test act at a given step."""
        found = self.api.get_alias(FUNCTION, "release")
        rollout = parse_record(found.description).rollout if found else None
        return dict(rollout or {})

    def alias_writes(self) -> list[dict[str, Any]]:
        """Every CreateAlias/UpdateAlias the tool sent, with its routing and recorded rollout state."""
        found = []
        for entry in self.server.request_log():
            if entry["action"] in ("CreateAlias", "UpdateAlias") and not entry["error"]:
                params = entry["params"]
                weights = (params.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or []
                found.append(
                    {
                        "main": params["FunctionVersion"],
                        "weights": {w["Version"]: w["Weight"] for w in weights},
                        "rollout": parse_record(str(params.get("Description", ""))).rollout,
                    }
                )
        return found


def events(run: Run, kind: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    return [row for row in rows if row.get("event") == kind]


Cloud = TypeVar("Cloud", bound=RolloutCloud)


@contextmanager
def open_cloud(
    kind: type[Cloud], secret_id: str = DEFAULT_SECRET_ID, secret_key: str = DEFAULT_SECRET_KEY
) -> Iterator[Cloud]:
    """An emulator on the fake clocks (seeded routing) and a ``kind`` cloud talking to it via the SDK."""
    clock = FakeClock()
    config = EmulatorConfig(
        clock=clock.now,
        wall_clock=lambda: WALL_BASE + clock.now(),
        status_delay=0.0,
        seed=11,
        secret_id=secret_id,
        secret_key=secret_key,
    )
    with EmulatorServer(config) as server:
        transport = SdkTransport(
            Credentials(secret_id, secret_key),
            "ap-guangzhou",
            endpoint=server.endpoint,
            sleep=lambda _: None,
        )
        yield kind(server, clock, ScfApi(transport))
