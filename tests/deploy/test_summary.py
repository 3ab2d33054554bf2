"""The step summary (``GITHUB_STEP_SUMMARY``) is built without jinja2 (#17) and reads exactly as the former
template rendered it: each case renders ``tests/fixtures/templates/summary.md.j2`` with jinja2 and the
Python builder on the same outputs, and compares the bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from component.deploy.summary import summary_markdown

TEMPLATES = Path(__file__).parent.parent / "fixtures" / "templates"
TEMPLATE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False, keep_trailing_newline=True
).get_template("summary.md.j2")  # as component.render rendered it (a missing field: jinja2.Undefined)


def _check(step: int, weight: float, errors: Any, rate: float, verdict: str = "pass") -> dict[str, Any]:
    return {
        "step": step,
        "weight": weight,
        "candidate": {"errors": errors, "invocations": 20.0, "errorRate": rate},
        "stable": {"errors": 1, "invocations": "60", "errorRate": 0.0111},
        "verdict": verdict,
        "move": "advance" if verdict == "pass" else "roll back",
    }


BASE: dict[str, Any] = {"functionName": "f", "runtime": "Python3.9", "namespace": "default", "lastVersion": "3",
                        "traffic": 0.9}
ROLLOUT: dict[str, Any] = {"phase": "Progressing", "candidate": "3", "stable": "2", "step": 2, "steps": [0.1, 0.5, 1]}
OUTPUTS: list[dict[str, Any]] = [
    {"functionName": "f"},  # fields missing: shown as nothing
    BASE,
    {**BASE, "traffic": None, "lastVersion": 4},
    {**BASE, "configTrafficVersion": "2"},
    {**BASE, "aliasName": "live", "routing": "v2 90% v3 10%"},
    {**BASE, "aliasName": "live"},
    {**BASE, "rollout": None},
    {**BASE, "rollout": ROLLOUT},
    *({**BASE, "rollout": {**ROLLOUT, "phase": p}} for p in ("Promoted", "RolledBack", "Aborted", "Paused", "?")),
    {**BASE, "rollout": {**ROLLOUT, "reason": "errors above 5%"}},
    {**BASE, "rollout": {**ROLLOUT, "phase": "RolledBack", "reason": "x", "checks": [_check(1, 0.1, 0, 0.0)]}},
    {**BASE, "aliasName": "live", "routing": "r", "configTrafficVersion": 2, "rollout": {
        **ROLLOUT, "checks": [_check(1, 0.1, 0, 0.0), _check(2, 0.25, None, 0.256, "fail"), _check(3, 1, "7", 1.0)]}},
]


@pytest.mark.parametrize("outputs", OUTPUTS)
@pytest.mark.parametrize("plan_lines", [[], ["update code of f", "publish version"]])
def test_the_summary_reads_as_the_template_rendered_it(outputs: dict[str, Any], plan_lines: list[str]) -> None:
    expected = TEMPLATE.render(outputs=outputs, stage="dev", plan_lines=plan_lines)
    assert summary_markdown(outputs, "dev", plan_lines) == expected
