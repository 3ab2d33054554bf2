"""Per-version figures from Cloud Monitor (``QCE/SCF_V2``), the way the rollout analysis needs them.

One ``GetMonitorData`` call per metric, with the candidate and the stable version as two Instances
(dimensions ``functionName``, ``namespace``, ``version``), ``Period`` 60. Missing points are zero
(Monitor drops empty buckets), so a version nobody called has zero invocations, not an error.
:func:`figures_from` is the pure half: data points in, :class:`VersionFigures` out; ``Duration`` is
averaged weighted by each minute's invocations.

Resolution: Monitor counts per whole minute, so the minute a step starts in also holds calls made
before it (another step, an earlier run). Only *complete* minutes that began at or after the step
start count (:func:`window`): a bucket is used once its end is ``lag`` seconds in the past, the
time the real Monitor needs to report it (:data:`REAL_MONITOR_LAG`, an emulator reports at once).
A check therefore cannot happen before :func:`measurable_at` — up to two minutes plus the lag
after the step began — and the runner waits for that moment instead of judging an empty window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from component.cloud.api import ScfApi
from component.rollout.analysis import VersionFigures

NAMESPACE = "QCE/SCF_V2"
PERIOD = 60
# Tencent does not publish a reporting delay for QCE/SCF_V2; a minute's point is commonly visible one
# to two minutes after it ends. Counting a bucket before it is reported would undercount it, so the
# real cloud is read with this margin (an emulator endpoint reports instantly: lag 0).
REAL_MONITOR_LAG = 120.0
BEIJING = timezone(timedelta(hours=8))
Series = dict[float, float]  # timestamp → value


def iso(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), tz=BEIJING).isoformat()


def query(
    function: str, namespace: str, metric: str, versions: Sequence[str], start: float, end: float
) -> dict[str, Any]:
    instances = [
        {
            "Dimensions": [
                {"Name": "functionName", "Value": function},
                {"Name": "namespace", "Value": namespace},
                {"Name": "version", "Value": version},
            ]
        }
        for version in versions
    ]
    return {
        "Namespace": NAMESPACE,
        "MetricName": metric,
        "Instances": instances,
        "Period": PERIOD,
        "StartTime": iso(start),
        "EndTime": iso(max(end, start)),
    }


def series_by_version(body: Mapping[str, Any]) -> dict[str, Series]:
    """``DataPoints`` keyed by the ``version`` dimension (the reply's dimension order may differ)."""
    found: dict[str, Series] = {}
    for point in body.get("DataPoints") or []:
        dims = {str(d.get("Name")): str(d.get("Value")) for d in point.get("Dimensions") or []}
        version = dims.get("version")
        if version is None:
            continue
        stamps = point.get("Timestamps") or []
        values = point.get("Values") or []
        found[version] = {float(t): float(v or 0) for t, v in zip(stamps, values, strict=False)}
    return found


def _within(series: Series, first: float, last: float) -> Series:
    """Only the buckets asked for (a reply may carry the minute still being filled)."""
    return {t: v for t, v in series.items() if first <= t <= last}


def figures_from(version: str, metrics: Mapping[str, Mapping[str, Series]]) -> VersionFigures:
    invocations = metrics.get("Invocation", {}).get(version, {})
    errors = metrics.get("Error", {}).get(version, {})
    durations = metrics.get("Duration", {}).get(version, {})
    total = sum(invocations.values())
    duration: float | None = None
    if durations:
        weights = {t: invocations.get(t, 0.0) for t in durations}
        weighted = sum(weights.values())
        if weighted:
            duration = sum(durations[t] * weights[t] for t in durations) / weighted
        else:
            duration = sum(durations.values()) / len(durations)
    return VersionFigures(version, total, sum(errors.values()), duration)


def monitor_lag(endpoint: str | None) -> float:
    """How long after a minute ends its Monitor point can be trusted: the real cloud's lag, or 0."""
    return REAL_MONITOR_LAG if endpoint is None else 0.0


def window(started: float, now: float, lag: float) -> tuple[float, float] | None:
    """First and last bucket start of the complete minutes since ``started``, or None before there is one.

    The first bucket is the first whole minute that begins after ``started`` (the minute it falls in
    holds earlier calls; a step start is recorded to the second, so even a start on the boundary may be
    late by a fraction); the last one ends at least ``lag`` seconds before ``now``.
    """
    first = started // PERIOD * PERIOD + PERIOD
    last = (now - lag) // PERIOD * PERIOD - PERIOD
    return (first, last) if last >= first else None


def measurable_at(started: float, lag: float) -> float:
    """The wall-clock second the first complete minute after ``started`` can be read."""
    return started // PERIOD * PERIOD + 2 * PERIOD + lag


def short_pause_warning(pauses: Sequence[float], lag: float) -> str | None:
    """A warning when a step's pause is shorter than Monitor can measure (its first complete minute)."""
    short = sorted({p for p in pauses if p < PERIOD + lag})
    if not short:
        return None
    listed = ", ".join(f"{p:g}s" for p in short)
    return (
        f"rollout pause {listed} is shorter than Cloud Monitor can measure: it counts whole {PERIOD}s minutes"
        f"{f' and reports them about {lag:g}s late' if lag else ''}, so each check waits for the first complete "
        f"minute after its step began (up to {2 * PERIOD + lag:g}s)"
    )


def read_figures(
    api: ScfApi,
    function: str,
    candidate: str,
    stable: str,
    start: float,
    end: float,
    metrics: Sequence[str],
    lag: float = 0.0,
) -> tuple[VersionFigures, VersionFigures]:
    """Candidate and stable figures over the complete minutes since ``start``: one GetMonitorData per metric.

    Before the first complete minute is readable both are zero and Monitor is not asked.
    """
    span = window(start, end, lag)
    if span is None:
        return VersionFigures(candidate), VersionFigures(stable)
    wanted = [m for m in ("Invocation", "Error", "Duration") if m in metrics or m in ("Invocation", "Error")]
    versions = [candidate] if candidate == stable else [candidate, stable]
    data: dict[str, dict[str, Series]] = {}
    for metric in wanted:
        body = api.monitor("GetMonitorData", query(function, api.namespace, metric, versions, *span))
        data[metric] = {v: _within(series, *span) for v, series in series_by_version(body).items()}
    return figures_from(candidate, data), figures_from(stable, data)
