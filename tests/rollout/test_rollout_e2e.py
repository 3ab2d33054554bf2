"""Issue 6 end to end: ``scf deploy`` with a rollout against the emulator, Monitor figures from real traffic.

Every ``rcloud.scf(...)`` call is a separate command run: the only thing two runs share is the cloud
(and the fake clocks), which is how status/abort/resume/promote from another machine are exercised.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.rollout.cloud import RolloutCloud, events

RAISES = "def main_handler(event, context):\n    raise RuntimeError('broken release')\n"
HEALTHY = "def main_handler(event, context):\n    return {'ok': 2}\n"


def first_release(rcloud: RolloutCloud, project: Path, code: str = HEALTHY) -> None:
    """Version 1 on the alias with all traffic, then version 2's code in the project."""
    run = rcloud.scf("deploy", "--target", str(project))
    assert run.exit_code == 0, run.stderr
    assert rcloud.alias().main_version == "1"
    (project / "src" / "index.py").write_text(code)


def deploy(rcloud: RolloutCloud, project: Path, *extra: str) -> object:
    return rcloud.scf("deploy", "--target", str(project), "--json", *extra)


def test_healthy_version_is_promoted_step_by_step(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    run = rcloud.scf("deploy", "--target", str(canary), "--json")
    assert run.exit_code == 0, run.stderr
    writes = rcloud.alias_writes()[1:]  # after the alias was created on version 1
    assert [(w["main"], w["weights"], w["rollout"]["ph"], w["rollout"]["i"]) for w in writes] == [
        ("1", {"2": 0.25}, "Progressing", 0),
        ("1", {"2": 0.5}, "Progressing", 1),
        ("2", {}, "Progressing", 2),
        ("2", {}, "Promoted", 2),
    ]
    checks = events(run, "rollout.check")
    assert [c["move"] for c in checks] == ["advance", "advance", "promote"]
    assert all(c["candidate"]["version"] == "2" and c["candidate"]["invocations"] >= 2 for c in checks)
    assert events(run, "rollout.end")[-1]["rollout"]["phase"] == "Promoted"
    assert run.json()["rollout"]["phase"] == "Promoted"
    assert rcloud.served["2"] > 0 and rcloud.served["1"] > 0
    alias = rcloud.alias()
    assert (alias.main_version, alias.weights) == ("2", ())


def test_human_view_shows_weights_and_figures_per_step(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    run = rcloud.scf("deploy", "--target", str(canary))
    assert run.exit_code == 0, run.stderr
    assert "rollout step 1/3: v2 [#####...............] 25% | v1" in run.stderr
    assert "rollout step 2/3 check: v2:" in run.stderr and "err (0.0%)" in run.stderr
    assert "rollout Promoted" in run.stderr


def test_a_version_that_raises_is_rolled_back_with_the_figures(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary, RAISES)
    rcloud.per_minute = 12
    run = deploy(rcloud, canary)
    assert run.exit_code == 4, run.stderr  # type: ignore[attr-defined]
    error = events(run, "error")[-1]["message"]  # type: ignore[arg-type]
    assert "rollout of version 2 rolled back, all traffic on version 1" in error
    assert "error rate 100.0%" in error and "> maxErrorRate 10.0%" in error
    alias = rcloud.alias()
    assert (alias.main_version, alias.weights) == ("1", ())
    state = rcloud.rollout()
    assert (state["ph"], state["i"], state["c"], state["s"]) == ("RolledBack", 0, "2", "1")
    assert '"rb":["2"]' in alias.description


def test_too_little_traffic_is_waited_for_then_judged(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)

    def traffic_after_the_first_check(_: int) -> None:
        if rcloud.recorded().get("x"):  # once a check found too little traffic, traffic comes
            rcloud.per_minute = 12

    rcloud.on_sleep.append(traffic_after_the_first_check)
    run = deploy(rcloud, canary)
    assert run.exit_code == 0, run.stderr  # type: ignore[attr-defined]
    moves = [(c["verdict"], c["move"]) for c in events(run, "rollout.check")]  # type: ignore[arg-type]
    assert moves[0] == ("inconclusive", "wait")
    assert moves[1:] == [("pass", "advance"), ("pass", "advance"), ("pass", "promote")]


def test_no_traffic_pauses_within_the_bound_and_resume_from_another_process_finishes(
    rcloud: RolloutCloud, canary: Path
) -> None:
    first_release(rcloud, canary)
    run = deploy(rcloud, canary)
    assert run.exit_code == 6, run.stderr  # type: ignore[attr-defined]  # paused is not "deployed" (#16 item 4)
    assert "rollout of version 2 paused at 25% (version 1 keeps the rest)" in events(run, "error")[-1]["message"]  # type: ignore[arg-type]
    moves = [c["move"] for c in events(run, "rollout.check")]  # type: ignore[arg-type]
    assert moves == ["wait", "wait", "pause"]  # inconclusiveLimit 2: the third inconclusive check pauses
    state = rcloud.rollout()
    assert (state["ph"], state["i"], state["x"]) == ("Paused", 0, 3)
    assert "only 0 invocations of version 2 (minInvocations 2)" in state["r"]
    assert rcloud.alias().weights[0].weight == 0.25  # paused, not rolled back
    status = rcloud.scf("status", "--target", str(canary))
    assert status.exit_code == 0 and "rollout Paused: version 2 over stable 1, step 1/3" in status.stdout
    rcloud.per_minute = 12
    resumed = rcloud.scf("resume", "--target", str(canary), "--json")
    assert resumed.exit_code == 0, resumed.stderr
    assert [c["move"] for c in events(resumed, "rollout.check")] == ["advance", "advance", "promote"]
    assert rcloud.rollout()["ph"] == "Promoted" and rcloud.alias().main_version == "2"


def test_a_failing_hook_aborts_and_rolls_back(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    hook = 'rollout.hooks={"preStep":[{"command":"test $SCF_ROLLOUT_STEP != 2 || exit 7","timeout":"5s"}]}'
    run = deploy(rcloud, canary, "--inputs", hook)
    assert run.exit_code == 4, run.stderr  # type: ignore[attr-defined]
    hooks = [(h["ok"], h["detail"]) for h in events(run, "rollout.hook")]  # type: ignore[arg-type]
    assert hooks == [(True, "exit code 0"), (False, "exit code 7")]
    error = events(run, "error")[-1]["message"]  # type: ignore[arg-type]
    assert "aborted" in error and "preStep hook command" in error and "exit code 7" in error
    state = rcloud.rollout()
    assert (state["ph"], state["i"]) == ("Aborted", 1)
    assert (rcloud.alias().main_version, rcloud.alias().weights) == ("1", ())


def test_a_hanging_hook_times_out(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    hook = 'rollout.hooks={"preStep":[{"command":"sleep 5; echo late","timeout":"200ms"}]}'
    run = deploy(rcloud, canary, "--inputs", hook)
    assert run.exit_code == 4
    assert "timed out after 0.2s" in events(run, "error")[-1]["message"]  # type: ignore[arg-type]
    assert rcloud.rollout()["ph"] == "Aborted" and rcloud.alias().weights == ()


@pytest.mark.parametrize(
    ("command", "phase", "main", "exit_code"),
    [(("abort",), "Aborted", "1", 4), (("promote", "--full"), "Promoted", "2", 0)],
)
def test_abort_or_promote_from_a_second_process_stops_the_running_deploy(
    rcloud: RolloutCloud, canary: Path, command: tuple[str, ...], phase: str, main: str, exit_code: int
) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    seen: dict[str, object] = {}

    def second_process(n: int) -> None:
        if rcloud.recorded().get("i") == 1 and "run" not in seen:  # during step 2's pause
            seen["status"] = rcloud.scf("status", "--target", str(canary), "--json").json()
            seen["run"] = rcloud.scf(*command, "--target", str(canary))

    rcloud.on_sleep.append(second_process)
    run = deploy(rcloud, canary)
    assert seen["status"]["rollout"]["phase"] == "Progressing"  # type: ignore[index]
    assert seen["status"]["rollout"]["step"] == 2  # type: ignore[index]
    assert seen["run"].exit_code == 0, seen["run"].stderr  # type: ignore[attr-defined]
    assert run.exit_code == exit_code, run.stderr  # type: ignore[attr-defined]
    assert events(run, "rollout.end")[-1]["rollout"]["phase"] == phase  # type: ignore[arg-type]
    assert (rcloud.rollout()["ph"], rcloud.alias().main_version, rcloud.alias().weights) == (phase, main, ())


def test_a_killed_deploy_continues_from_the_recorded_step_when_rerun(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12

    def kill(n: int) -> None:
        if rcloud.recorded().get("i") == 1:  # during step 2's pause
            raise KeyboardInterrupt

    rcloud.on_sleep.append(kill)
    killed = deploy(rcloud, canary)
    assert killed.exit_code == 130  # type: ignore[attr-defined]
    assert (rcloud.rollout()["ph"], rcloud.rollout()["i"]) == ("Progressing", 1)
    rcloud.on_sleep.clear()
    before = len(rcloud.alias_writes())
    calls = len(rcloud.server.request_log())
    again = deploy(rcloud, canary)
    assert again.exit_code == 0, again.stderr  # type: ignore[attr-defined]
    actions = [e["action"] for e in rcloud.server.request_log()[calls:]]
    assert "PublishVersion" not in actions and "UpdateFunctionCode" not in actions
    assert [c["rollout"]["step"] for c in events(again, "rollout.check")] == [3, 3]  # type: ignore[arg-type]
    assert [w["rollout"]["i"] for w in rcloud.alias_writes()[before:]] == [2, 2]  # no step-1 write again
    assert rcloud.rollout()["ph"] == "Promoted"


def test_status_watch_follows_to_the_end_and_reports_a_rollback(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary, RAISES)
    rcloud.per_minute = 12
    assert deploy(rcloud, canary).exit_code == 4  # type: ignore[attr-defined]
    watch = rcloud.scf("status", "--target", str(canary), "--watch")
    assert watch.exit_code == 4
    assert "rollout RolledBack: version 2 over stable 1" in watch.stdout and "error rate 100.0%" in watch.stdout


@pytest.mark.parametrize("command", [("abort",), ("resume",), ("promote", "--full")])
def test_commands_without_an_active_rollout_are_refused(
    rcloud: RolloutCloud, canary: Path, command: tuple[str, ...]
) -> None:
    first_release(rcloud, canary)
    run = rcloud.scf(*command, "--target", str(canary))
    assert run.exit_code == 2
    assert "no rollout to" in run.stderr and "alias release" in run.stderr


def test_rollout_on_default_alias_is_a_config_error(rcloud: RolloutCloud, canary: Path) -> None:
    run = rcloud.scf("deploy", "--target", str(canary), "--inputs", "aliasName=$DEFAULT")
    assert run.exit_code == 2
    assert "inputs.rollout: a rollout needs a named alias, not $DEFAULT" in run.stderr
    assert rcloud.server.request_log() == []


def test_an_abort_landing_while_a_check_runs_its_hooks_is_not_overwritten(rcloud: RolloutCloud, canary: Path) -> None:
    """The gap between the check's read of the alias and its write: a second `scf` process aborts during step 1's
    postStep hook (the hook runs it), and the verdict reached before must not move the alias to step 2."""
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    abort = f"{sys.executable} -m component abort --target {canary} --endpoint {rcloud.server.endpoint}"
    hook = {"postStep": [{"command": f"test $SCF_ROLLOUT_STEP != 1 || {abort}", "timeout": "30s"}]}
    run = deploy(rcloud, canary, "--inputs", f"rollout.hooks={json.dumps(hook)}")
    assert [(h["ok"], h["stage"]) for h in events(run, "rollout.hook")] == [(True, "postStep")]  # type: ignore[arg-type]
    assert run.exit_code == 4, run.stderr  # type: ignore[attr-defined]
    assert "aborted by scf abort" in events(run, "error")[-1]["message"]  # type: ignore[arg-type]
    assert [w["rollout"]["ph"] for w in rcloud.alias_writes()[1:]] == ["Progressing", "Aborted"]
    state = rcloud.rollout()
    assert (state["ph"], state["i"], state["r"]) == ("Aborted", 0, "aborted by scf abort")
    alias = rcloud.alias()
    assert (alias.main_version, alias.weights) == ("1", ()) and '"rb":["2"]' in alias.description
