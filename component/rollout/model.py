"""The ``rollout`` input as frozen data: steps, analysis thresholds, hooks.

Parsed once from validated inputs (the JSON schema already checked shapes and ranges), so the rest
of the package never looks at raw dictionaries. A rollout needs a named alias: ``$DEFAULT`` is what
un-aliased triggers call and has no stable version of its own to shift from, so that is refused
here with a located :class:`ConfigError` before anything is sent to the cloud.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from component.errors import ConfigError, Problem
from component.qualifiers import DEFAULT_ALIAS
from component.records import Frozen

DEFAULT_INTERVAL = 60.0
DEFAULT_HOOK_TIMEOUT = 30.0
METRIC_NAMES = ("Invocation", "Error", "Duration")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h)$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True, eq=False, repr=False)
class Step(Frozen):
    traffic: float
    pause: float  # seconds to observe this step before the verdict


@dataclass(frozen=True, eq=False, repr=False)
class Analysis(Frozen):
    max_error_rate: float = 0.01
    max_duration: float | None = None  # average ms
    min_invocations: int = 0
    failure_limit: int = 1
    inconclusive_limit: int = 3
    metrics: tuple[str, ...] = METRIC_NAMES


@dataclass(frozen=True, eq=False, repr=False)
class Hook(Frozen):
    command: str | None = None
    url: str | None = None
    timeout: float = DEFAULT_HOOK_TIMEOUT

    @property
    def label(self) -> str:
        return f"command `{self.command}`" if self.command else f"POST {self.url}"


@dataclass(frozen=True, eq=False, repr=False)
class RolloutSpec(Frozen):
    steps: tuple[Step, ...]
    analysis: Analysis = Analysis()
    auto_rollback: bool = True
    pre_step: tuple[Hook, ...] = ()
    post_step: tuple[Hook, ...] = ()

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(s.traffic for s in self.steps)

    def pause_of(self, index: int) -> float:
        return self.steps[min(index, len(self.steps) - 1)].pause


def parse_duration(value: Any, default: float) -> float:
    """Seconds from a number or ``500ms``/``30s``/``5m``/``1h``."""
    if value is None:
        return default
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    found = _DURATION.match(str(value).strip())
    if not found:
        raise ConfigError(Problem(path="inputs.rollout", message=f"bad duration {value!r}", hint="e.g. 30s, 5m"))
    return float(found.group(1)) * _UNITS[found.group(2)]


def rollout_spec(inputs: Mapping[str, Any]) -> RolloutSpec | None:
    """The rollout described by ``inputs``, or ``None`` when there is none."""
    raw = inputs.get("rollout")
    if not isinstance(raw, Mapping):
        return None
    alias = str(inputs.get("aliasName") or DEFAULT_ALIAS)
    if alias == DEFAULT_ALIAS:
        raise ConfigError(
            Problem(
                path="inputs.rollout",
                message="a rollout needs a named alias, not $DEFAULT",
                hint="set aliasName (e.g. release) and point triggers at it",
            )
        )
    return spec_from(raw)


def spec_from(raw: Mapping[str, Any]) -> RolloutSpec:
    interval = parse_duration(raw.get("interval"), DEFAULT_INTERVAL)
    steps = tuple(_step(s, interval) for s in raw.get("steps") or (1.0,))
    hooks = raw.get("hooks") or {}
    return RolloutSpec(
        steps=steps,
        analysis=_analysis(raw.get("analysis") or {}),
        auto_rollback=bool(raw.get("autoRollback", True)),
        pre_step=tuple(_hook(h) for h in hooks.get("preStep") or ()),
        post_step=tuple(_hook(h) for h in hooks.get("postStep") or ()),
    )


def _step(raw: Any, interval: float) -> Step:
    if isinstance(raw, Mapping):
        return Step(float(raw["traffic"]), parse_duration(raw.get("pause"), interval))
    return Step(float(raw), interval)


def _analysis(raw: Mapping[str, Any]) -> Analysis:
    max_duration = raw.get("maxDuration")
    return Analysis(
        max_error_rate=float(raw.get("maxErrorRate", 0.01)),
        max_duration=None if max_duration is None else float(max_duration),
        min_invocations=int(raw.get("minInvocations", 0)),
        failure_limit=int(raw.get("failureLimit", 1)),
        inconclusive_limit=int(raw.get("inconclusiveLimit", 3)),
        metrics=tuple(str(m) for m in raw.get("metrics") or METRIC_NAMES),
    )


def _hook(raw: Mapping[str, Any]) -> Hook:
    return Hook(
        command=None if raw.get("command") is None else str(raw["command"]),
        url=None if raw.get("url") is None else str(raw["url"]),
        timeout=parse_duration(raw.get("timeout"), DEFAULT_HOOK_TIMEOUT),
    )
