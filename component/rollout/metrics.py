"""Per-version figures from Cloud Monitor (``QCE/SCF_V2``), the way the rollout analysis needs them.

One ``GetMonitorData`` call per metric, with the candidate and the stable version as two Instances
(dimensions ``functionName``, ``namespace``, ``version``), ``Period`` 60, over the window since the
current step started. Missing points are zero (Monitor drops empty buckets), so a version nobody
called has zero invocations, not an error. :func:`figures_from` is the pure half: data points in,
:class:`VersionFigures` out; ``Duration`` is averaged weighted by each minute's invocations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from component.cloud.api import ScfApi
from component.rollout.analysis import VersionFigures

NAMESPACE = "QCE/SCF_V2"
PERIOD = 60
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


def read_figures(
    api: ScfApi, function: str, candidate: str, stable: str, start: float, end: float, metrics: Sequence[str]
) -> tuple[VersionFigures, VersionFigures]:
    """Candidate and stable figures since ``start``: one GetMonitorData per metric."""
    wanted = [m for m in ("Invocation", "Error", "Duration") if m in metrics or m in ("Invocation", "Error")]
    versions = [candidate] if candidate == stable else [candidate, stable]
    data: dict[str, dict[str, Series]] = {}
    for metric in wanted:
        body = api.monitor("GetMonitorData", query(function, api.namespace, metric, versions, start, end))
        data[metric] = series_by_version(body)
    return figures_from(candidate, data), figures_from(stable, data)
