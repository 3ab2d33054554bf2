"""Cloud Monitor ``GetMonitorData`` for namespace ``QCE/SCF_V2``.

Answers from the emulator's own invocation records, in the real response shape:
``StartTime``/``EndTime`` snapped down to the period and rendered in +08:00, one
``DataPoint`` per requested instance (dimensions echoed), and buckets without any
invocation simply absent, as Tencent's "dropped points" are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_int, opt_list, req_str
from component.emulator.scf.invocations import Invocation, MetricsStore
from component.emulator.scf.store import BEIJING, DEFAULT_REGION, ScfStore

SCF_NAMESPACE = "qce/scf_v2"
PERIODS = frozenset({60, 300, 3600, 86400})
MAX_INSTANCES = 50


def _count(records: list[Invocation]) -> float:
    return float(len(records))


def _errors(records: list[Invocation]) -> float:
    return float(sum(1 for r in records if r.error))


def _avg_duration(records: list[Invocation]) -> float:
    return round(sum(r.duration_ms for r in records) / len(records), 3)


def _status(low: int, high: int) -> Callable[[list[Invocation]], float]:
    def value(records: list[Invocation]) -> float:
        return float(sum(1 for r in records if low <= r.status_code <= high))

    return value


METRICS: dict[str, Callable[[list[Invocation]], float]] = {
    "Invocation": _count,
    "Error": _errors,
    "Duration": _avg_duration,
    "Http2xx": _status(200, 299),
    "Http4xx": _status(400, 499),
    "Http433": _status(433, 433),
    "Http432": _status(432, 432),
    "Http434": _status(434, 434),
    "Syserr": _status(500, 599),
    "Throttle": lambda records: 0.0,
}


def _parse_time(raw: str) -> float:
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ApiError("InvalidParameterValue", f"参数取值错误。Invalid time {raw!r}.") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BEIJING)
    return parsed.timestamp()


def _render(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=BEIJING).isoformat()


def _dimensions(instance: Any) -> dict[str, str]:
    dims = instance.get("Dimensions") if isinstance(instance, dict) else None
    if not isinstance(dims, list):
        raise ApiError("InvalidParameterValue", "参数取值错误。Instances[].Dimensions is required.")
    out = {str(d.get("Name")): str(d.get("Value")) for d in dims if isinstance(d, dict)}
    if "functionName" not in out or not ({"version", "alias"} & set(out)):
        raise ApiError("InvalidParameterValue", "参数取值错误。Dimensions need functionName and version or alias.")
    return out


def _window(params: Params, period: int, wall: float) -> tuple[float, float]:
    end = _parse_time(params["EndTime"]) if params.get("EndTime") else wall
    start = _parse_time(params["StartTime"]) if params.get("StartTime") else end - period
    if end < start:
        raise ApiError("InvalidParameterValue", "参数取值错误。EndTime must not be earlier than StartTime.")
    return start - start % period, end - end % period


def _series(records: list[Invocation], period: int, start: float, end: float,
            metric: Callable[[list[Invocation]], float]) -> tuple[list[int], list[float]]:
    buckets: dict[int, list[Invocation]] = {}
    for rec in records:
        bucket = int(rec.timestamp - rec.timestamp % period)
        if start <= bucket <= end:
            buckets.setdefault(bucket, []).append(rec)
    stamps = sorted(buckets)
    return stamps, [metric(buckets[s]) for s in stamps]


def monitor_data(store: MetricsStore, region: str, params: Params, wall: float) -> dict[str, Any]:
    if req_str(params, "Namespace").lower() != SCF_NAMESPACE:
        raise ApiError("InvalidParameterValue", "参数取值错误。Only namespace QCE/SCF_V2 is emulated.")
    name = req_str(params, "MetricName")
    metric = METRICS.get(name)
    if metric is None:
        raise ApiError("InvalidParameterValue", f"参数取值错误。Unsupported metric {name!r}.")
    period = opt_int(params, "Period", 300)
    if period not in PERIODS:
        raise ApiError("InvalidParameterValue", f"参数取值错误。Unsupported period {period}.")
    instances = opt_list(params, "Instances", "InvalidParameterValue")
    if not instances or len(instances) > MAX_INSTANCES:
        raise ApiError("InvalidParameterValue", "参数取值错误。Instances must hold 1 to 50 items.")
    start, end = _window(params, period, wall)
    points = []
    for instance in instances:
        dims = _dimensions(instance)
        kind = "version" if "version" in dims else "alias"
        records = store.select(region or DEFAULT_REGION, dims.get("namespace", "default"),
                               dims["functionName"], kind, dims[kind])
        stamps, values = _series(records, period, start, end, metric)
        points.append({"Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
                       "Timestamps": stamps, "Values": values})
    return {"StartTime": _render(start), "EndTime": _render(end), "Period": period,
            "MetricName": name, "DataPoints": points, "Msg": ""}


def get_monitor_data(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    """The ``GetMonitorData`` handler: Monitor answers from the invocations the SCF store recorded."""
    return monitor_data(store.metrics, region, params, store.wall())
