"""#16 items 4, 6 and 9: what each command says it did is what the cloud holds, in one JSON document.

* ``--json``: stdout is exactly one JSON document for resume, abort, promote --full and for failures
  (a rollout that rolled back, a refused command), never empty;
* a rollout paused for lack of traffic is not "deployed" with exit 0 (exit 6);
* ``prune --keep -1`` is refused; check lines carry the number of the step that was checked;
* no "waited … to become Active" line without a wait (or without a function).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from component.cli import main
from component.render import Reporter
from component.tools import Tools
from tests.conftest import Cloud, Run
from tests.rollout.cloud import RolloutCloud
from tests.rollout.test_rollout_e2e import RAISES, deploy, first_release


def one_document(run: Run) -> dict[str, object]:
    document = json.loads(run.stdout)  # fails on empty stdout or on two documents
    assert isinstance(document, dict)
    return document


@pytest.mark.parametrize(
    ("command", "phase", "after"),
    [(("abort",), "Aborted", "{1: 100%}"), (("promote", "--full"), "Promoted", "{2: 100%}")],
)
def test_abort_and_promote_full_print_before_and_after(
    rcloud: RolloutCloud, canary: Path, command: tuple[str, ...], phase: str, after: str
) -> None:
    first_release(rcloud, canary)
    seen: dict[str, Run] = {}

    def second_process(_: int) -> None:
        if "json" not in seen and rcloud.recorded().get("ph") == "Progressing":
            seen["json"] = rcloud.scf(*command, "--target", str(canary), "--json")

    rcloud.on_sleep.append(second_process)
    deploy(rcloud, canary)
    document = one_document(seen["json"])
    assert (document["alias"], document["before"], document["after"]) == ("release", "{1: 75%, 2: 25%}", after)
    assert document["rollout"]["phase"] == phase  # type: ignore[index]


def test_abort_prints_what_it_did_for_a_human(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    seen: dict[str, Run] = {}

    def second_process(_: int) -> None:
        if "run" not in seen and rcloud.recorded().get("ph") == "Progressing":
            seen["run"] = rcloud.scf("abort", "--target", str(canary))

    rcloud.on_sleep.append(second_process)
    deploy(rcloud, canary)
    assert seen["run"].stdout == (
        "alias release: {1: 75%, 2: 25%} -> {1: 100%}; rollout Aborted (aborted by scf abort)\n"
    )


def test_resume_prints_one_document(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    assert deploy(rcloud, canary).exit_code == 6  # type: ignore[attr-defined]  # no traffic: paused
    rcloud.per_minute = 12
    resumed = rcloud.scf("resume", "--target", str(canary), "--json")
    assert resumed.exit_code == 0, resumed.stderr
    document = one_document(resumed)
    assert (document["before"], document["after"]) == ("{1: 75%, 2: 25%}", "{2: 100%}")


def test_a_rolled_back_deploy_prints_one_document(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary, RAISES)
    rcloud.per_minute = 12
    run = deploy(rcloud, canary)
    assert run.exit_code == 4  # type: ignore[attr-defined]
    document = one_document(run)  # type: ignore[arg-type]
    assert (document["routing"], document["traffic"]) == ("{1: 100%}", 0)  # what the cloud holds
    assert document["rollout"]["phase"] == "RolledBack"  # type: ignore[index]


@pytest.mark.parametrize(
    "argv",
    [
        ("abort",),  # nothing to abort: refused
        ("prune", "--keep", "-1"),
        ("promote", "--full", "--alias", "nosuch"),
    ],
)
def test_a_refused_command_still_prints_one_document(rcloud: RolloutCloud, canary: Path, argv: tuple[str, ...]) -> None:
    first_release(rcloud, canary)
    run = rcloud.scf(*argv, "--target", str(canary), "--json")
    assert run.exit_code == 2
    assert one_document(run)["exit_code"] == 2


def test_prune_refuses_a_negative_count_before_any_call(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    calls = len(rcloud.server.request_log())
    run = rcloud.scf("prune", "--target", str(canary), "--keep", "-1")
    assert run.exit_code == 2 and "--keep: expected a whole number >= 0, got '-1'" in run.stderr
    assert len(rcloud.server.request_log()) == calls


def test_check_lines_name_the_step_that_was_checked(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    run = rcloud.scf("deploy", "--target", str(canary))
    assert run.exit_code == 0, run.stderr
    checks = [line.split("] ", 1)[1].split(" check:")[0] for line in run.stderr.splitlines() if " check: " in line]
    assert checks == ["rollout step 1/3", "rollout step 2/3", "rollout step 3/3"]


def ticking(step: float) -> Callable[[], float]:
    """A clock that moves ``step`` seconds each time it is read: every call looks slow."""
    now = [0.0]

    def clock() -> float:
        now[0] += step
        return now[0]

    return clock


def test_no_waited_line_without_a_wait(cloud: Cloud, project: Path) -> None:
    def scf(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        clock = ticking(0.02)
        tools = Tools(reporter=Reporter(out=out, err=err, clock=clock), sleep=lambda _: None, clock=clock)
        code = main([*argv, "--target", str(project), "--endpoint", cloud.endpoint], tools)
        return Run(code, out.getvalue(), err.getvalue())

    missing = scf("remove")
    assert missing.exit_code == 0 and "to become Active" not in missing.stderr  # no function: nothing was waited for
    assert scf("deploy").exit_code == 0
    again = scf("deploy")
    assert again.exit_code == 0 and "to become Active" not in again.stderr  # Active at the first read


def test_a_rolled_back_deploy_says_so_in_the_result_and_the_step_summary(
    rcloud: RolloutCloud, canary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    first_release(rcloud, canary, RAISES)
    rcloud.per_minute = 12
    run = rcloud.scf("deploy", "--target", str(canary))
    assert run.exit_code == 4
    assert "› not deployed: rollout of version 2 rolled back, all traffic on version 1" in run.stdout
    text = summary.read_text().split("### scf deploy")[-1]  # this deploy's section
    assert "**Rollout rolled back**: version 2 over stable version 1, step 1 of 3" in text
    assert "all traffic is back on version 1" in text and "error rate 100.0%" in text
    assert "| 1 | 1 | 25.0% |" in text  # the check, with its figures
    assert "```mermaid\nxychart-beta" in text and "bar [25.0]" in text and "line [100.0]" in text


def test_a_failed_command_leaves_a_step_summary(
    rcloud: RolloutCloud, canary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = rcloud.scf("deploy", "--target", str(canary), "--inputs", "traffic=2")
    assert run.exit_code == 2
    text = summary.read_text()
    assert text.startswith("### scf deploy: failed (exit 2)\n\n> ") and "traffic" in text


def test_a_running_deploy_notices_an_abort_within_two_seconds(rcloud: RolloutCloud, canary: Path) -> None:
    """The deploy re-reads the alias every 2 s while a step waits, not only at the end of the pause (5 min)."""
    first_release(rcloud, canary)
    aborted_at: list[float] = []

    def second_process(_: int) -> None:
        if not aborted_at and rcloud.recorded().get("ph") == "Progressing":
            assert rcloud.scf("abort", "--target", str(canary)).exit_code == 0
            aborted_at.append(rcloud.clock.now())

    rcloud.on_sleep.append(second_process)
    run = deploy(rcloud, canary, "--inputs", "rollout.interval=5m")
    assert run.exit_code == 4  # type: ignore[attr-defined]
    assert rcloud.clock.now() - aborted_at[0] <= 2.0  # fake seconds between the abort and the deploy's end
