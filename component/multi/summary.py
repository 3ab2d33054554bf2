"""The table printed after a multi-instance run: one row per instance, its result and its time.

Plain text with aligned columns, so it reads in a terminal and in a CI log; with ``--json`` the same
rows are part of the one JSON document on stdout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from component.multi.runner import Outcome

DONE: dict[str, str] = {"deploy": "deployed", "remove": "removed", "info": "shown", "status": "shown"}


def status_text(command: str, outcome: Outcome) -> str:
    if outcome.status == "ok":
        return DONE.get(command, "done")
    if outcome.status == "skipped":
        return f"skipped: {outcome.detail}"
    first_line = outcome.detail.splitlines()[0] if outcome.detail else ""
    return f"failed (exit {outcome.exit_code}): {first_line}"


def render_table(command: str, outcomes: Sequence[Outcome], total: float) -> str:
    rows = [("instance", "result", "time")]
    rows += [(o.instance, status_text(command, o), _seconds(o.seconds)) for o in outcomes]
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{a:<{width[0]}}  {b:<{width[1]}}  {c}".rstrip() for a, b, c in rows]
    failed = sum(1 for o in outcomes if o.status == "failed")
    skipped = sum(1 for o in outcomes if o.status == "skipped")
    ok = len(outcomes) - failed - skipped
    lines.append(f"{ok} {DONE.get(command, 'done')}, {failed} failed, {skipped} skipped in {total:.2f}s")
    return "\n".join(lines)


def json_rows(command: str, outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    return [
        {
            "instance": o.instance,
            "status": DONE.get(command, "done") if o.status == "ok" else o.status,
            "seconds": None if o.seconds is None else round(o.seconds, 3),
            "exit_code": o.exit_code,
            "detail": o.detail,
            "result": o.result,
        }
        for o in outcomes
    ]


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}s"
