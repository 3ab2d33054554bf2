"""``scf metrics`` (issue 18): per-version Monitor figures as a table with a sparkline per version."""

from __future__ import annotations

from pathlib import Path

import pytest

from component.toolbox.metrics import period_for, sparkline
from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import change_code, deploy
from tests.toolbox.test_logs_e2e import invoke


def two_versions(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "aliasName=release")
    change_code(project)
    deploy(cloud, project, "--inputs", "aliasName=release", "traffic=0.1")
    (project / "src" / "index.py").write_text("def main_handler(event, context):\n    raise ValueError('boom')\n")
    for qualifier in ["1", "1", "1", "2"]:
        invoke(cloud, project, qualifier)


def test_json_figures_per_version_of_the_alias(cloud: Cloud, project: Path) -> None:
    two_versions(cloud, project)
    run = cloud.scf("metrics", "--target", str(project), "--json", "--alias", "release")
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert (doc["function"], doc["namespace"], doc["alias"], doc["period"]) == ("hello-dev-demo", "default", "release",
                                                                               60)
    totals = {v: {m: row[m]["total"] for m in ("Invocation", "Error")} for v, row in doc["versions"].items()}
    assert totals == {"1": {"Invocation": 3, "Error": 0}, "2": {"Invocation": 1, "Error": 0}}
    assert doc["versions"]["1"]["Duration"]["total"] > 0
    assert len(doc["versions"]["1"]["Invocation"]["points"]) in (60, 61)  # one bucket a minute over the hour


def test_table_has_a_row_and_a_sparkline_per_version(cloud: Cloud, project: Path) -> None:
    two_versions(cloud, project)
    run = cloud.scf("metrics", "--target", str(project), "--metric", "Invocation,Error")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[1].split() == ["VERSION", "Invocation", "Error", "Invocation", "per", "60s"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert set(rows) == {"$LATEST", "1", "2"}  # every alias's versions ($DEFAULT → $LATEST)
    assert rows["1"][1:3] == ["3", "0"] and rows["1"][3].endswith("█")
    assert set(rows["$LATEST"][3]) == {"▁"}


@pytest.mark.parametrize(
    ("values", "line"),
    [([0, 0, 0], "▁▁▁"), ([0, 1, 2, 4, 8], "▁▂▃▅█"), ([5], "█"), ([], "")],
)
def test_sparkline(values: list[float], line: str) -> None:
    assert sparkline(values) == line


@pytest.mark.parametrize(("window", "period"), [(600, 60), (7200, 60), (86400, 3600), (3 * 86400, 3600),
                                                 (30 * 86400, 86400), (36000, 300)])
def test_period_grows_with_the_window(window: float, period: int) -> None:
    assert period_for(window) == period


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--metric", "Invocations"], "--metric: unknown Invocations"),
        (["--since", "0h"], "--since: expected a duration"),
    ],
)
def test_bad_arguments_exit_2_before_any_call(cloud: Cloud, project: Path, args: list[str], message: str) -> None:
    run = cloud.scf("metrics", "--target", str(project), *args)
    assert run.exit_code == 2 and message in run.stderr
    assert cloud.calls() == []


def test_an_unknown_alias_is_refused(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    run = cloud.scf("metrics", "--target", str(project), "--alias", "nope")
    assert run.exit_code == 2 and "has no alias 'nope'" in run.stderr
