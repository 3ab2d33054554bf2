"""``scf metrics`` and the component's ``metric`` action: Cloud Monitor (``QCE/SCF_V2``) figures.

``scf metrics`` reads one ``GetMonitorData`` per metric with every version the function's aliases
route to (or the one ``--alias``'s versions) as Instances, and shows a table of totals per version
(``Duration`` is the invocation-weighted mean) with a sparkline of each version's first metric over
the window; missing buckets are zero, as Monitor drops empty ones. The period grows with the window
(60 s up to 2 h, 300 s up to 12 h, 3600 s up to 7 d, then a day) so a chart stays a line long.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from component.errors import ConfigError, Problem
from component.toolbox.target import Session

NAMESPACE = "QCE/SCF_V2"
BEIJING = timezone(timedelta(hours=8))
BARS = "▁▂▃▄▅▆▇█"
AVERAGED = frozenset({"Duration", "MemDuration", "ConcurrentExecutions"})
PERIODS = ((7200, 60), (43200, 300), (604800, 3600))


def iso(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), tz=BEIJING).isoformat()


def beijing(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), tz=BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def parse_time(text: str, key: str) -> float:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        hint = "e.g. 2026-12-01 14:00:00 (Beijing time) or 2026-12-01T06:00:00Z"
        raise ConfigError(Problem(f"--inputs {key}", f"is not a date and time: {text!r}", hint=hint)) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)).timestamp()


def period_for(window: float) -> int:
    return next((period for limit, period in PERIODS if window <= limit), 86400)


def _dimensions(session: Session, kind: str, value: str) -> list[dict[str, str]]:
    return [{"Name": "functionName", "Value": session.target.function},
            {"Name": "namespace", "Value": session.target.namespace}, {"Name": kind, "Value": value}]


def monitor_data(session: Session, metric: str, instances: Sequence[tuple[str, str]], period: int,
                 start: float, end: float) -> dict[str, Any]:
    params = {
        "Namespace": NAMESPACE, "MetricName": metric, "Period": period, "StartTime": iso(start),
        "EndTime": iso(max(start, end)),
        "Instances": [{"Dimensions": _dimensions(session, kind, value)} for kind, value in instances],
    }
    return session.api.monitor("GetMonitorData", params)


def metric_points(session: Session, metric: str, *, alias: str | None, period: int, interval: int,
                  start: str | None, end: str | None, now: float | None = None) -> list[dict[str, Any]]:
    """The ``metric`` action: ``[{time, value, timestamp}]`` like the Node component's."""
    end_ts = parse_time(end, "endTime") if end else (time.time() if now is None else now)
    start_ts = parse_time(start, "startTime") if start else end_ts - interval
    instance = ("alias", alias) if alias else ("version", "$LATEST")
    body = monitor_data(session, metric, [instance], period, start_ts, end_ts)
    points = []
    for point in body.get("DataPoints") or []:
        for stamp, value in zip(point.get("Timestamps") or [], point.get("Values") or [], strict=False):
            points.append({"time": beijing(stamp), "value": value, "timestamp": stamp})
    return points


@dataclass(frozen=True)
class Window:
    start: float
    end: float
    period: int

    def buckets(self) -> list[int]:
        first = int(self.start - self.start % self.period)
        return list(range(first, int(self.end) + 1, self.period))


def window(since: float, now: float | None = None) -> Window:
    end = time.time() if now is None else now
    return Window(end - since, end, period_for(since))


def routed_versions(session: Session, alias: str | None) -> list[str]:
    aliases = session.api.list_aliases(session.target.function)
    if alias is not None:
        aliases = [a for a in aliases if a.name == alias]
        if not aliases:
            raise ConfigError(Problem("--alias", f"{session.target.function} has no alias {alias!r}"))
    found: list[str] = []
    for info in aliases:
        for version in [info.main_version, *(w.version for w in info.weights), *(m.version for m in info.matches)]:
            if version not in found:
                found.append(version)
    return found or ["$LATEST"]


Table = dict[str, dict[str, dict[int, float]]]  # metric → version → bucket → value


def read_table(session: Session, metrics: Sequence[str], versions: Sequence[str], span: Window) -> Table:
    table: Table = {}
    for metric in metrics:
        body = monitor_data(session, metric, [("version", v) for v in versions], span.period, span.start, span.end)
        series: dict[str, dict[int, float]] = {v: {} for v in versions}
        for point in body.get("DataPoints") or []:
            dims = {str(d.get("Name")): str(d.get("Value")) for d in point.get("Dimensions") or []}
            stamps, values = point.get("Timestamps") or [], point.get("Values") or []
            series.setdefault(dims.get("version", ""), {}).update(
                {int(t): float(v or 0) for t, v in zip(stamps, values, strict=False)})
        table[metric] = series
    return table


def total(metric: str, series: Mapping[int, float], weights: Mapping[int, float]) -> float | None:
    if metric not in AVERAGED:
        return sum(series.values())
    if not series:
        return None
    weighted = sum(weights.get(t, 0.0) for t in series)
    if weighted:
        return sum(v * weights.get(t, 0.0) for t, v in series.items()) / weighted
    return sum(series.values()) / len(series)


def sparkline(values: Sequence[float]) -> str:
    top = max(values, default=0.0)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))] for v in values)


def summary(table: Table, versions: Sequence[str], span: Window) -> dict[str, Any]:
    """The JSON document: per version, per metric, the total and every bucket (zeros filled in)."""
    invocations = table.get("Invocation", {})
    out: dict[str, Any] = {}
    for version in versions:
        row: dict[str, Any] = {}
        for metric, series in table.items():
            values = series.get(version, {})
            figure = total(metric, values, invocations.get(version, {}))
            row[metric] = {"total": None if figure is None else round(figure, 3),
                           "points": [[t, values.get(t, 0.0)] for t in span.buckets()]}
        out[version] = row
    return out


def render(doc: Mapping[str, Any], metrics: Sequence[str]) -> str:
    head = ["VERSION", *metrics, f"{metrics[0]} per {doc['period']}s"]
    rows = [head]
    for version, row in doc["versions"].items():
        figures = ["-" if row[m]["total"] is None else f"{row[m]['total']:g}" for m in metrics]
        rows.append([version, *figures, sparkline([v for _, v in row[metrics[0]]["points"]])])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]
    title = f"{doc['function']} ({doc['namespace']})  {doc['start']} → {doc['end']}"
    return "\n".join([title, *lines])


def collect(session: Session, metrics: Sequence[str], alias: str | None, since: float,
            now: Callable[[], float] = time.time) -> dict[str, Any]:
    span = window(since, now())
    versions = routed_versions(session, alias)
    table = read_table(session, metrics, versions, span)
    return {
        "function": session.target.function, "namespace": session.target.namespace, "alias": alias,
        "start": iso(span.start), "end": iso(span.end), "period": span.period,
        "versions": summary(table, versions, span),
    }
