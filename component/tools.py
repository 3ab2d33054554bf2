"""``Tools``: the collaborators every command gets (real ones from the CLI, fast ones in tests)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from component.render import Reporter


@dataclass
class Tools:
    reporter: Reporter
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    wall: Callable[[], float] = time.time  # wall-clock seconds: rollout metric windows and step start times

    def with_reporter(self, reporter: Reporter) -> Tools:
        """The same clocks and sleep, reporting through ``reporter`` (one instance of a multi run)."""
        return Tools(reporter=reporter, sleep=self.sleep, clock=self.clock, wall=self.wall)
