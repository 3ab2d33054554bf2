"""How long a function's transitions take, learned from the waits that saw them end.

After a write SCF keeps the function ``Updating``/``Publishing``/``Creating`` for a while, and the cloud
does not say for how long. Polling on a fixed schedule either wastes calls (Tencent allows about 20
calls a second per action and account) or overshoots the end. Instead the first poll is placed at the
*expected* end of this kind of transition for this function; if it is not over yet, the waiter's
back-off (a fraction of the time already waited) takes over.

What a wait can observe is only a bound: a first poll that already sees ``Active`` says "it took at
most this long"; a poll that sees ``Updating`` then ``Active`` brackets the end. The estimate is
therefore updated like a congestion window: after a first-poll hit it shrinks a little (so it keeps
probing towards the true duration), after a miss it moves to the middle of the bracket that was
observed. For a steady transition this gives one poll per wait most of the time, with the first poll
a few percent past the end.

Estimates are kept per function and action. A function or an action never seen before starts from the
shortest related estimate (an early first poll costs a few back-off polls, a late one costs time); in a
project with no history yet, from the last estimate this user's other projects learned for the action
against the same kind of endpoint (the real cloud, or an emulator endpoint: ``shared``, a small file in
the user's cache folder); with no history at all from a 200 ms prior.
The history is small JSON under the project's ``.serverless/`` so that successive deploys learn.
Beside the estimates it keeps what this cloud has shown about itself (``facts``): so far whether its
``CodeSize`` is the size of the zip that was uploaded (``component.deploy.latest_code``).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

SHRINK = 0.98  # after a first-poll hit: probe a little earlier next time
# With nothing learned: no transition of SCF's management API ends within a round trip; 200 ms is the
# shortest interval a public client polls at (the faasjs deployer's), so the first poll waits that long.
PRIOR = 0.2
MIN_ESTIMATE = 0.05
MAX_ESTIMATE = 300.0
MAX_ENTRIES = 512  # a bounded file: the least recently seen functions are forgotten first
FACTS = "facts"  # the key of the facts in the file (an estimate's key always holds a "|")


@dataclass
class TransitionHistory:
    """Seconds each (function, action) transition is expected to take."""

    estimates: dict[str, float] = field(default_factory=dict)
    facts: dict[str, bool] = field(default_factory=dict)
    shared: dict[str, float] = field(default_factory=dict)  # "scope|action" → seconds, across this user's projects
    scope: str = ""  # the kind of endpoint the shared estimates are for ("" = none shared)
    shared_path: Path | None = None

    def expect(self, function: str, action: str) -> float:
        """When to poll first after ``action`` on ``function``.

        This function's estimate for the action; else the shortest transition seen lately of the same
        action on another function or of another action on this function; else :data:`PRIOR`. The
        fallbacks are the shortest, not a typical, transition: a first poll that comes early only costs
        the back-off's few extra polls, one that comes late wastes time that nothing gives back.
        """
        own = self.estimates.get(_key(function, action))
        if own is not None:
            return own
        fn, act = _key(function, ""), _key("", action)
        related = [seconds for key, seconds in self.estimates.items() if key.startswith(fn) or key.endswith(act)]
        if related:
            return min(related)
        return self.shared.get(_key(self.scope, action), PRIOR) if self.scope else PRIOR

    def observe(self, function: str, action: str, *, at_most: float, at_least: float | None) -> None:
        """Record a wait: the transition ended within ``(at_least, at_most]`` seconds of the write.

        ``at_least`` is ``None`` when the first poll already saw the function settled. Then the end lies
        somewhere before the poll that was placed at the expectation (this function's, a related one or the
        prior): the estimate shrinks from it. Taking ``at_most`` itself would add the poll's round trip on
        every new function, and drift upwards from project to project through the shared estimates.
        """
        known = self.estimates.get(_key(function, action))
        if at_least is None:
            estimate = min(self.expect(function, action) if known is None else known, at_most) * SHRINK
        else:
            estimate = (at_least + at_most) / 2
        key = _key(function, action)
        self.estimates.pop(key, None)  # re-insert: dict order is recency order
        self.estimates[key] = min(max(estimate, MIN_ESTIMATE), MAX_ESTIMATE)
        if self.scope:
            self.shared[_key(self.scope, action)] = self.estimates[key]
        while len(self.estimates) > MAX_ENTRIES:
            del self.estimates[next(iter(self.estimates))]

    @classmethod
    def load(cls, path: Path) -> TransitionHistory:
        """The history in ``path``; an empty one when it is missing or unreadable (it is only a hint)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        facts = raw.pop(FACTS, None)
        facts = {str(k): v for k, v in facts.items() if isinstance(v, bool)} if isinstance(facts, dict) else {}
        seconds = {str(k): _seconds(v) for k, v in raw.items()}
        return cls({k: v for k, v in seconds.items() if v is not None}, facts)

    def share(self, path: Path, scope: str) -> None:
        """Use (and keep up to date) this user's estimates for ``scope`` in ``path``."""
        self.shared, self.scope, self.shared_path = TransitionHistory.load(path).estimates, scope, path

    def save(self, path: Path) -> bool:
        """Write the history next to the project's state (and the shared one); False when it was not written."""
        if self.shared_path is not None and self.shared:
            _write(self.shared_path, dict(self.shared))
        return _write(path, {**self.estimates, FACTS: self.facts})


def _write(path: Path, content: dict[str, object]) -> bool:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(content, indent=0), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def _key(function: str, action: str) -> str:
    return f"{function}|{action}"


def _seconds(value: object) -> float | None:
    """A stored estimate, clamped like a learned one (a shipped file is only a hint); None when not one."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return min(max(seconds, MIN_ESTIMATE), MAX_ESTIMATE) if math.isfinite(seconds) and seconds > 0 else None


def history_path(state_dir: Path) -> Path:
    return state_dir / "transitions.json"


def shared_history_path() -> Path:
    """This user's estimates across projects (``shared``), in the tool's cache folder."""
    from component.resources import user_cache_dir

    return user_cache_dir() / "transitions.json"
