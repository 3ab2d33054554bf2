"""The progress protocol: what the pipeline and the executor tell the user while they work.

Deploy code depends on this protocol, never on how it is shown: :class:`component.render.Reporter`
implements it for the terminal and ``--json``; a multi-instance run wraps it per instance. A plan is
handed over already described (``component.deploy.describe.plan_context``), so the display layer
never imports the deploy code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Progress(Protocol):
    json_mode: bool

    @property
    def elapsed(self) -> float: ...

    def step(self, message: str) -> None: ...

    def warn(self, message: str) -> None: ...

    def waited(self, name: str, seconds: float) -> None: ...

    def event(self, kind: str, **fields: Any) -> None: ...

    def plan(self, context: Mapping[str, Any]) -> None: ...

    def write(self, text: str) -> None: ...

    def result(self, outputs: Mapping[str, Any], context: Mapping[str, Any]) -> None: ...
