"""Timer triggers fire: every enabled timer whose cron expression matches a second invokes the function
through the trigger's qualifier, exactly like ``InvokeFunction`` on that qualifier.

Driven by the emulator's injected wall clock, never by ``time`` directly: :meth:`fire_due_timers`
looks at each whole second after the last one it examined for that trigger (first: the trigger's
creation second) up to ``now``, so a test with a fake clock advances it and fires deterministically,
and a real-clock server calls it once a real second from a ticker thread (``emulator.py``). Going
through an alias means the alias's traffic split picks the version, and the invocation is counted
per version and per alias for Monitor like any other. Catch-up is bounded to :data:`MAX_CATCH_UP`
seconds; SCF itself never replays missed firings.

The event is SCF's timer event: ``{"Type": "Timer", "TriggerName", "Time": "...Z", "Message"}`` with
the trigger's ``CustomArgument`` as ``Message``. User code runs outside the backend lock.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.scf.invoke import invoke_qualifier

from .cron import Cron, parse_cron
from .models import Trigger
from .store import BEIJING, ScfStore

MAX_CATCH_UP = 3600  # seconds examined at most per call and trigger


@lru_cache(maxsize=512)
def _cron(desc: str) -> Cron:
    value = json.loads(desc)
    return parse_cron(str(value["cron"]))


@dataclass(frozen=True)
class _Due:
    region: str
    namespace: str
    function: str
    trigger: Trigger
    second: int


def fire_due_timers(store: ScfStore, now: float | None = None) -> list[dict[str, Any]]:
    """Fire every timer due in (last examined second, ``now``]; returns one record per firing."""
    end = math.floor(store.wall() if now is None else now)
    due: list[_Due] = []
    with store.lock:
        for region, spaces in store.regions.items():
            for ns in spaces.values():
                for fn in ns.functions.values():
                    for key, trigger in fn.triggers.items():
                        if trigger.type == "timer":
                            due += _due(store, region, ns.name, fn.name, key, trigger, end)
    return [_fire(store, item) for item in sorted(due, key=lambda d: d.second)]


def _due(store: ScfStore, region: str, namespace: str, function: str, key: str, trigger: Trigger,
         end: int) -> list[_Due]:
    ident = (region, namespace, function, key, trigger.add_time)
    start = max(store.timer_cursors.get(ident, math.floor(trigger.add_time)), end - MAX_CATCH_UP)
    store.timer_cursors[ident] = max(start, end)
    if trigger.enable != "OPEN" or end <= start:
        return []
    cron = _cron(trigger.desc)
    return [
        _Due(region, namespace, function, trigger, second)
        for second in range(start + 1, end + 1)
        if cron.matches(datetime.fromtimestamp(second, BEIJING))
    ]


def _fire(store: ScfStore, item: _Due) -> dict[str, Any]:
    trigger = item.trigger
    stamp = datetime.fromtimestamp(item.second, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    event = {"Type": "Timer", "TriggerName": trigger.name, "Time": stamp, "Message": trigger.custom_argument}
    record: dict[str, Any] = {
        "region": item.region,
        "namespace": item.namespace,
        "function": item.function,
        "trigger": trigger.name,
        "qualifier": trigger.qualifier,
        "time": item.second,
    }
    try:
        result = invoke_qualifier(store,
            item.region, {"FunctionName": item.function, "Namespace": item.namespace}, trigger.qualifier, event
        )
    except ApiError as exc:  # deleted meanwhile, not invokable (Creating…): the firing is lost, as in SCF
        return {**record, "error": exc.code}
    return {**record, "version": result["ExecutedVersion"], "invokeResult": result["Result"]["InvokeResult"]}
