"""Helpers shared by the reliability suites: run ``scf`` exactly as given, read the cloud's state."""

from __future__ import annotations

import io
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from component.cli import main
from component.cloud.api import AliasInfo, ScfApi, VersionInfo
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.deploy.planner import marker_of
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorServer
from component.render import Reporter
from component.tools import Tools
from tests.conftest import Cloud, FakeClock, Run

WRITES = frozenset({
    "CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "DeleteFunction", "PublishVersion",
    "CreateAlias", "UpdateAlias", "DeleteAlias", "DeleteFunctionVersion", "CreateTrigger", "DeleteTrigger",
})

HEAD = "component: scf\nname: app\nstage: dev\ninputs:\n  src: ./src\n"


def make_project(root: Path, snippet: str = "", *, document: str | None = None) -> Path:
    """A project whose serverless.yml is HEAD + ``snippet`` indented under ``inputs`` (or ``document``)."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "src" / "index.py").write_text("def main_handler(event, context):\n    return 'v1'\n")
    body = document if document is not None else HEAD + textwrap.indent(snippet, "  ")
    (root / "serverless.yml").write_text(body, encoding="utf-8")
    return root


def change_code(project: Path, text: str) -> None:
    handler = project / "src" / "index.py"
    handler.write_text(handler.read_text() + f"# {text}\n")


def run_exact(cloud: Cloud, *argv: str) -> Run:
    """Run ``scf`` with exactly ``argv`` (no ``--endpoint`` added), with the fake clock."""
    out, err = io.StringIO(), io.StringIO()
    clock: FakeClock = cloud.clock
    tools = Tools(reporter=Reporter(out=out, err=err, clock=clock.now), sleep=clock.sleep, clock=clock.now)
    code = main(list(argv), tools)
    return Run(code, out.getvalue(), err.getvalue())


def writes(calls: list[str]) -> list[str]:
    return [c for c in calls if c in WRITES]


@dataclass(frozen=True)
class CloudView:
    """What the cloud holds for one function, read through the SDK like the tool reads it."""

    exists: bool
    status: str | None
    versions: tuple[VersionInfo, ...]
    aliases: tuple[AliasInfo, ...]

    def alias(self, name: str) -> AliasInfo | None:
        return next((a for a in self.aliases if a.name == name), None)


def look(endpoint: str, function: str, *, secret_id: str = DEFAULT_SECRET_ID,
         secret_key: str = DEFAULT_SECRET_KEY) -> CloudView:
    transport = SdkTransport(Credentials(secret_id, secret_key), "ap-guangzhou", endpoint=endpoint,
                             sleep=lambda _: None)
    api = ScfApi(transport)
    body = api.get_function(function)
    if body is None:
        return CloudView(False, None, (), ())
    return CloudView(True, str(body.get("Status")), tuple(api.list_versions(function)),
                     tuple(api.list_aliases(function)))


def invariant_violations(view: CloudView) -> list[str]:
    """Broken promises: an alias on a missing or failed version, a fingerprint published twice (failed
    publications do not count: they can serve nothing, and the re-run publishes the snapshot again)."""
    problems: list[str] = []
    status = {v.version: v.status for v in view.versions}
    status["$LATEST"] = view.status or ""
    for alias in view.aliases:
        used = [alias.main_version, *(w.version for w in alias.weights), *(m.version for m in alias.matches)]
        for version in used:
            if version not in status:
                problems.append(f"alias {alias.name} points at missing version {version}")
            elif status[version] != "Active" and version != "$LATEST":
                problems.append(f"alias {alias.name} points at version {version} in state {status[version]}")
        if sum(w.weight for w in alias.weights) > 1:
            problems.append(f"alias {alias.name} gives more than 100 % to additional versions")
    markers = [marker_of(v.description) for v in view.versions if not v.status.endswith("Failed")]
    seen = [m for m in markers if m]
    if len(seen) != len(set(seen)):
        problems.append(f"a fingerprint was published twice: {[v.description for v in view.versions]}")
    return problems


__all__ = ["WRITES", "CloudView", "change_code", "invariant_violations", "look", "make_project", "run_exact",
           "writes"]


def wait_for_call(server: EmulatorServer, action: str, timeout: float = 10.0) -> None:
    """Block until the emulator has answered ``action``: a deploy running in another thread got that far."""
    deadline = time.monotonic() + timeout
    while action not in [e["action"] for e in server.request_log()]:
        assert time.monotonic() < deadline, f"{action} was never called"
        time.sleep(0.002)
