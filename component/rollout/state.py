"""The rollout state that lives with the alias, inside its release record.

Stored under ``ro`` in the alias description (see ``component.deploy.release_record``), in a compact
form, so the UpdateAlias that moves a step's weight writes the state in the same call, and any
process on any machine can read it back with one GetAlias::

    scf:{"p":["1"],"rb":[],"ro":{"ph":"Progressing","c":"2","s":"1","w":[0.1,0.5,1],"i":1,
         "t":1767225600,"f":0,"x":0,"m":[40,0,360,0],"r":""}}

``ph`` phase, ``c`` candidate and ``s`` stable version, ``w`` the step weights, ``i`` the current step
(0-based), ``t`` wall-clock second the step started (the metric window), ``f``/``x`` failed and
inconclusive checks on this step, ``m`` the last figures (candidate invocations, errors, stable
invocations, errors), ``r`` why the rollout stopped. :func:`alias_for` is the single place that turns
a state into the routing the alias must have, so weights and state cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from component.cloud.api import AliasInfo, VersionWeight
from component.deploy.release_record import ReleaseRecord, parse_record

PROGRESSING = "Progressing"
PAUSED = "Paused"
PROMOTED = "Promoted"
ROLLED_BACK = "RolledBack"
ABORTED = "Aborted"
PHASES = (PROGRESSING, PAUSED, PROMOTED, ROLLED_BACK, ABORTED)
ACTIVE = frozenset({PROGRESSING, PAUSED})
MAX_REASON = 240


@dataclass(frozen=True)
class Figures:
    """Counts over a step's window for the candidate (c) and the stable (s) version."""

    c_invocations: int = 0
    c_errors: int = 0
    s_invocations: int = 0
    s_errors: int = 0


@dataclass(frozen=True)
class RolloutState:
    phase: str
    candidate: str
    stable: str
    steps: tuple[float, ...]
    step: int = 0
    started: float = 0.0
    failures: int = 0
    inconclusive: int = 0
    figures: Figures | None = None
    reason: str = ""

    @property
    def active(self) -> bool:
        return self.phase in ACTIVE

    @property
    def weight(self) -> float:
        """The candidate's share of traffic in this state."""
        if self.phase == PROMOTED:
            return 1.0
        if self.phase in ACTIVE:
            return self.steps[min(self.step, len(self.steps) - 1)]
        return 0.0

    def to_record(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ph": self.phase,
            "c": self.candidate,
            "s": self.stable,
            "w": [_num(w) for w in self.steps],
            "i": self.step,
            "t": int(self.started),
            "f": self.failures,
            "x": self.inconclusive,
        }
        if self.figures is not None:
            f = self.figures
            data["m"] = [f.c_invocations, f.c_errors, f.s_invocations, f.s_errors]
        if self.reason:
            data["r"] = clean_reason(self.reason)
        return data


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def clean_reason(reason: str) -> str:
    """Short, and free of the record marker so it never confuses ``parse_record``."""
    text = reason.replace("scf:", "scf :")
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def from_record(data: Mapping[str, Any] | None) -> RolloutState | None:
    if not data or data.get("ph") not in PHASES:
        return None
    try:
        m = data.get("m")
        figures = Figures(*(int(v) for v in m[:4])) if isinstance(m, list) and len(m) >= 4 else None
        return RolloutState(
            phase=str(data["ph"]),
            candidate=str(data["c"]),
            stable=str(data["s"]),
            steps=tuple(float(w) for w in data.get("w") or (1.0,)),
            step=int(data.get("i", 0)),
            started=float(data.get("t", 0)),
            failures=int(data.get("f", 0)),
            inconclusive=int(data.get("x", 0)),
            figures=figures,
            reason=str(data.get("r", "")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def state_of(alias: AliasInfo | None) -> RolloutState | None:
    """The rollout state recorded on ``alias``, if any."""
    if alias is None:
        return None
    return from_record(parse_record(alias.description).rollout)


def alias_for(name: str, state: RolloutState, record: ReleaseRecord) -> AliasInfo:
    """The alias that serves ``state``: its routing and a description that records the state.

    Promoted moves everything to the candidate and counts it as promoted; RolledBack and Aborted move
    everything back to the stable version and mark the candidate as rolled back (so it is never a
    rollback target); an active state splits by the current step's weight.
    """
    weight = state.weight
    if state.phase == PROMOTED:
        record = record.promote(state.candidate)
    elif not state.active:
        record = record.roll_back(state.candidate)
        if state.stable not in record.promoted:
            record = record.promote(state.stable)
    record = record.with_rollout(state.to_record())
    description = record.describe()
    if weight >= 1:
        return AliasInfo(name, state.candidate, description=description)
    if weight <= 0:
        return AliasInfo(name, state.stable, description=description)
    weights = (VersionWeight(state.candidate, round(weight, 12)),)
    return AliasInfo(name, state.stable, weights=weights, description=description)
