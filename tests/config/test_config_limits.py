"""Documented cloud limits are checked before the first write (#19 item 2).

Before, a 5 KB environment updated the code and then failed the configuration; an invalid cron moved
the alias before CreateTrigger failed. Now each is exit 2 at load, and a redeploy of a deployed
function with such a change makes no call that writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from component.config.limits import cron_problem
from component.config.project import load_project
from component.errors import ConfigError
from tests.config.conftest import MakeProject
from tests.conftest import Cloud

BIG = "x" * 4000

# (inputs snippet, path of the single problem, message (substring))
OVER_THE_LIMIT = [
    (f"environment: {{variables: {{A: {BIG}, B: {'y' * 100}}}}}", "inputs.environment.variables", "take 4102 bytes"),
    ("environment: {variables: {A: " + "é" * 2048 + "}}", "inputs.environment.variables", "take 4097 bytes"),
    ("name: a函数b", "inputs.name", "must be 2-60 characters"),  # the schema's \\w was Unicode
    ("name: ab٣", "inputs.name", "must be 2-60 characters"),
    ('name: "ab\\n"', "inputs.name", "a letter first, then letters, digits"),  # ECMA $: no final newline
    ("handler: índex.main", "inputs.handler", "must be file.function in ASCII"),
    ("handler: index", "inputs.handler", "must be file.function"),
    ("handler: 'ma in'\nruntime: Go1", "inputs.handler", "printable ASCII without spaces"),
]


@pytest.mark.parametrize(("snippet", "path", "message"), OVER_THE_LIMIT)
def test_a_documented_limit_is_refused_at_load(
    make_project: MakeProject, snippet: str, path: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_project(make_project(snippet), environ={})
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (path, 5)
    assert message in problem.message


WITHIN = [
    f"environment: {{variables: {{A: {'x' * 4094}}}}}",  # 1 + 4094 + ... = exactly at the limit with key 'A'
    "name: a-b_c9",
    "runtime: Java8\nhandler: example.Hello::mainHandler",
    "runtime: Nodejs18.15\nhandler: src/handlers/index.main_handler",
    "type: web\nruntime: Nodejs18.15",
]


@pytest.mark.parametrize("snippet", WITHIN)
def test_values_within_the_limits_load(make_project: MakeProject, snippet: str) -> None:
    load_project(make_project(snippet), environ={})


CRONS = [
    ("0 */5 * * * * *", ""),
    ("0 0 2 1 * * *", ""),
    ("0 30 9 ? * MON-FRI *", ""),
    ("0 0 0 1 JAN,jul * 2024-2030", ""),
    ("*/10 * * * * * *", ""),
    ("0 45 8 * * * *", ""),
    ("*/5 * * * *", "5 fields instead of 7"),
    ("0 60 * * * * *", "minute field '60': '60' is outside 0-59"),
    ("0 0 24 * * * *", "hour field '24'"),
    ("0 0 0 0 * * *", "day field '0'"),
    ("0 0 0 * 13 * *", "month field '13'"),
    ("0 0 0 * * 8 *", "weekday field '8'"),
    ("0 0 0 * * * 1969", "year field '1969'"),
    ("0 0 5-1 * * * *", "hour field '5-1': '5-1' is outside 0-23"),
    ("0 */0 * * * * *", "minute field '*/0': the step '0' must be a whole number of at least 1"),
    ("0 0 ٣ * * * *", "hour field '٣'"),
    ("0 0 L * * * *", "hour field 'L'"),
]


@pytest.mark.parametrize(("cron", "reason"), CRONS)
def test_cron_expressions(cron: str, reason: str) -> None:
    assert cron_problem(cron).startswith(reason) if reason else cron_problem(cron) == ""


def _write(root: Path, extra: str) -> None:
    head = "component: scf\nname: limits\ninputs:\n  src: ./src\n  runtime: Python3.9\n"
    (root / "serverless.yml").write_text(head + extra, encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        f"  environment: {{variables: {{A: {'x' * 5000}}}}}\n",
        "  aliasName: release\n  traffic: 0.5\n  events:\n    - timer: {parameters: {cronExpression: '*/5 * * * *'}}\n",
    ],
)
def test_a_redeploy_over_a_limit_writes_nothing(cloud: Cloud, tmp_path: Path, change: str) -> None:
    root = tmp_path / "app"
    (root / "src").mkdir(parents=True)
    (root / "src" / "index.py").write_text("def main_handler(e, c):\n    return 1\n", encoding="utf-8")
    _write(root, "")
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    (root / "src" / "index.py").write_text("def main_handler(e, c):\n    return 2\n", encoding="utf-8")
    _write(root, change)
    before = len(cloud.server.request_log())
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 2, run.stderr
    assert cloud.server.request_log()[before:] == []
