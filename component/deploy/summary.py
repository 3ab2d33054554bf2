"""The Markdown a deploy appends to ``GITHUB_STEP_SUMMARY``: title, rollout (verdicts table and chart),
the function's fields, then the plan's lines.

Built in plain Python rather than through a jinja2 template: in CI every deploy writes it, and
importing jinja2 and compiling the template cost ≈15 ms at the end of each run (#17). The text is,
byte for byte, what the former template (kept as ``tests/fixtures/templates/summary.md.j2``) rendered:
``tests/deploy/test_summary.py`` renders both. A missing field shows as nothing, ``None`` as ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

VERBS = {"Promoted": "promoted", "RolledBack": "rolled back", "Aborted": "aborted", "Paused": "paused",
         "Progressing": "in progress"}
TABLE_HEAD = "| --- | --- | --- | --- | --- | --- |"
TABLE_FIELDS = ("runtime", "namespace", "lastVersion", "traffic")


def summary_markdown(outputs: Mapping[str, Any], stage: str, plan_lines: Iterable[str]) -> str:
    text = f"### scf deploy: `{_show(outputs, 'functionName')}` ({stage})"
    rollout = outputs.get("rollout")
    if rollout:
        text += "\n\n\n" + _rollout(rollout)
    text += "\n\n| field | value |\n| --- | --- |"
    text += "".join(f"\n| {key} | {_show(outputs, key)} |" for key in TABLE_FIELDS)
    if "configTrafficVersion" in outputs:
        text += f"\n| configTrafficVersion | {outputs['configTrafficVersion']} |"
    if "aliasName" in outputs:
        text += f"\n| alias | {outputs['aliasName']}: {_show(outputs, 'routing')} |"
    return text + "\n\n" + "".join(f"- {line}\n" for line in plan_lines) + "\n"


def _rollout(rollout: Mapping[str, Any]) -> str:
    stable = _show(rollout, "stable")
    text = (
        f"**Rollout {VERBS.get(str(rollout.get('phase')), '')}**: version {_show(rollout, 'candidate')} over stable "
        f"version {stable}, step {_show(rollout, 'step')} of {len(rollout['steps'])}"
    )
    if rollout.get("phase") in ("RolledBack", "Aborted"):
        text += f": all traffic is back on version {stable}"
    if rollout.get("reason"):
        text += f"\n\n> {rollout['reason']}"
    if rollout.get("checks"):
        text += _checks(rollout["checks"], _show(rollout, "candidate"), stable)
    return text


def _checks(checks: list[Mapping[str, Any]], candidate: str, stable: str) -> str:
    rows = "".join(
        f"\n| {index} | {_show(c, 'step')} | {_percent(c['weight'])}% | {_counts(c['candidate'])} | "
        f"{_counts(c['stable'])} | {_show(c, 'verdict')}, {_show(c, 'move')} |"
        for index, c in enumerate(checks, 1)
    )
    axis = ", ".join(f'"{index}: step {_show(c, "step")}"' for index, c in enumerate(checks, 1))
    bars = ", ".join(str(_percent(c["weight"])) for c in checks)
    candidate_rates = ", ".join(str(_percent(c["candidate"]["errorRate"])) for c in checks)
    stable_rates = ", ".join(str(_percent(c["stable"]["errorRate"])) for c in checks)
    return (
        f"\n\n| check | step | v{candidate} weight | v{candidate} errors | v{stable} errors | verdict |\n{TABLE_HEAD}"
        f"{rows}\n\n```mermaid\nxychart-beta\n"
        f'    title "v{candidate}: weight (bars) and error rate of v{candidate} / v{stable} (lines), % per check"\n'
        f'    x-axis [{axis}]\n    y-axis "%" 0 --> 100\n    bar [{bars}]\n'
        f"    line [{candidate_rates}]\n    line [{stable_rates}]\n```"
    )


def _counts(figures: Mapping[str, Any]) -> str:
    errors, invocations = _int(figures.get("errors")), _int(figures.get("invocations"))
    return f"{errors}/{invocations} ({_percent(figures['errorRate'])}%)"


def _percent(fraction: Any) -> Any:
    return round(fraction * 100, 1)


def _int(value: Any) -> int:
    """A whole number as jinja2's ``int`` filter makes it: 0 when it is none."""
    try:
        return int(value, 10) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return 0


def _show(mapping: Mapping[str, Any], key: str) -> str:
    """The field as text; a missing field is empty."""
    return str(mapping[key]) if key in mapping else ""
