"""The human result of a command (``Reporter.result``): exact text for each kind of outputs and outcome.

The expected texts are what the former jinja2 template ``outputs.txt.j2`` rendered for the same input."""

from __future__ import annotations

import io
from typing import Any

import pytest

from component.render import Reporter

CASES: list[tuple[dict[str, Any], dict[str, Any], str]] = [
    (
        {"functionName": "f", "code": {"sha256": "ab", "size": 258}, "triggers": [], "traffic": 1, "description": None},
        {"elapsed": 0.18, "instance": "hello", "dry_run": False},
        "functionName: f\ncode:\n  sha256: ab\n  size:   258\ntriggers:     []\ntraffic:      1\ndescription:\n\n"
        "0.18s › hello › deployed\n",
    ),
    (
        {"a": [{"x": 1, "yy": "two"}, "plain"], "e": {}},
        {"elapsed": 1, "instance": "api", "dry_run": False, "outcome": "not deployed: boom"},
        "a:\n  - x:  1\n    yy: two\n  - plain\ne: {}\n\n1s › api › not deployed: boom\n",
    ),
    (
        {},
        {"elapsed": 0.0, "instance": "i", "dry_run": True, "outcome": "x"},
        "\n\n0.0s › i › dry run: nothing changed\n",
    ),
]


@pytest.mark.parametrize(("outputs", "context", "text"), CASES)
def test_result_text(outputs: dict[str, Any], context: dict[str, Any], text: str) -> None:
    out = io.StringIO()
    Reporter(out=out).result(outputs, context)
    assert out.getvalue() == text
