"""Issue 9: one rollout over several instances of a project, end to end against the emulator.

Two instances (cart, and pay which reads cart's outputs) declare the same steps. Live traffic hits
both ``release`` aliases while the tool sleeps, so Monitor's per-version figures come from real
routing; a handler that raises in one function must take every alias back to its stable version.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from component.cloud.api import AliasInfo
from component.deploy.release_record import parse_record
from component.rollout.analysis import Outcome, Verdict, VersionFigures
from component.rollout.joint import Judged, aligned, joint_verdict, overall, policy_mismatches
from component.rollout.model import spec_from
from component.rollout.state import PROGRESSING, PROMOTED, ROLLED_BACK, RolloutState
from tests.conftest import Run, copy_fixture
from tests.rollout.cloud import RolloutCloud, events, open_cloud

CART, PAY = "cart-prod-shop", "pay-prod-shop"
RAISES = "def main_handler(event, context):\n    raise RuntimeError('broken release')\n"
HEALTHY = "def main_handler(event, context):\n    return {'ok': 2}\n"


@dataclass
class JointCloud(RolloutCloud):
    """The rollout cloud, with traffic on both functions' ``release`` alias."""

    by_function: dict[str, dict[str, int]] = field(default_factory=dict)
    targets: tuple[str, ...] = (CART, PAY)  # the functions that get traffic

    def invoke(self) -> None:
        for function in self.targets:
            version = self.invoke_alias(function)
            if version is not None:
                served = self.by_function.setdefault(function, {})
                served[version] = served.get(version, 0) + 1

    def alias_of(self, function: str) -> AliasInfo:
        found = self.api.get_alias(function, "release")
        assert found is not None
        return found

    def step_of(self, function: str) -> int | None:
        """The recorded step of a rollout in progress on ``function``'s alias, if any."""
        found = self.api.get_alias(function, "release")
        rollout = parse_record(found.description).rollout if found else None
        return int(rollout["i"]) if rollout and rollout.get("ph") == PROGRESSING else None

    def state_of(self, function: str) -> dict[str, Any]:
        record = parse_record(self.alias_of(function).description)
        assert record.rollout is not None
        return dict(record.rollout)


@pytest.fixture
def jcloud() -> Iterator[JointCloud]:
    with open_cloud(JointCloud) as cloud:
        yield cloud


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_fixture("multi-rollout", tmp_path)


def first_release(jcloud: JointCloud, root: Path, cart: str = HEALTHY, pay: str = HEALTHY) -> None:
    """Version 1 on both aliases with all traffic (nothing to roll out from), then version 2's code."""
    run = jcloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 0, run.stderr
    assert (jcloud.alias_of(CART).main_version, jcloud.alias_of(PAY).main_version) == ("1", "1")
    (root / "cart" / "src" / "index.py").write_text(cart)
    (root / "pay" / "src" / "index.py").write_text(pay)


def deploy(jcloud: JointCloud, root: Path) -> Run:
    return jcloud.scf("deploy", "--target", str(root), "--json")


def test_a_healthy_joint_rollout_is_promoted_on_every_function(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root)
    jcloud.per_minute = 12
    run = deploy(jcloud, root)
    assert run.exit_code == 0, run.stderr
    checks = events(run, "rollout.joint.check")
    assert [c["move"] for c in checks] == ["advance", "advance", "promote"]
    assert all(i["candidate"]["invocations"] >= 2 for c in checks for i in c["instances"].values())
    assert set(checks[0]["instances"]) == {"cart", "pay"}
    document = run.json()
    assert document["rollout"]["phase"] == PROMOTED
    assert {n: s["phase"] for n, s in document["rollout"]["instances"].items()} == {"cart": PROMOTED, "pay": PROMOTED}
    for function in (CART, PAY):
        alias = jcloud.alias_of(function)
        assert (alias.main_version, alias.weights) == ("2", ())
        assert jcloud.state_of(function)["ph"] == PROMOTED
        assert jcloud.by_function[function]["1"] > 0 and jcloud.by_function[function]["2"] > 0
    # every step's weight went to both aliases before the step was observed, one pause per step
    writes = [w for w in jcloud.alias_writes() if w["rollout"]]
    assert [(w["weights"], w["rollout"]["i"]) for w in writes[:2]] == [({"2": 0.25}, 0)] * 2
    assert [(w["weights"], w["rollout"]["i"]) for w in writes[2:4]] == [({"2": 0.5}, 1)] * 2
    status = jcloud.scf("status", "--target", str(root / "pay"))
    assert status.exit_code == 0 and "rollout Promoted: version 2 over stable 1" in status.stdout


def test_one_breaching_function_rolls_back_every_function(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root, cart=HEALTHY, pay=RAISES)
    jcloud.per_minute = 12
    run = deploy(jcloud, root)
    assert run.exit_code == 4, run.stderr
    error = events(run, "error")[-1]["message"]
    assert "joint rollout rolled back, all traffic back on the stable versions" in error
    assert "instance pay (function pay-prod-shop): version 2: error rate 100.0%" in error
    assert "> maxErrorRate 5.0%" in error and "cart" not in error.split("): ", 1)[1]
    check = events(run, "rollout.joint.check")[-1]
    assert (check["verdict"], check["move"]) == ("fail", "rollback")
    assert {n: i["verdict"] for n, i in check["instances"].items()} == {"cart": "pass", "pay": "fail"}
    for function in (CART, PAY):
        alias = jcloud.alias_of(function)
        assert (alias.main_version, alias.weights) == ("1", ())
        state = jcloud.state_of(function)
        assert (state["ph"], state["i"], state["c"], state["s"]) == (ROLLED_BACK, 0, "2", "1")
        assert "instance pay (function pay-prod-shop)" in state["r"] and "error rate 100.0%" in state["r"]
        assert '"rb":["2"]' in alias.description
    assert run.json()["rollout"]["phase"] == ROLLED_BACK
    status = jcloud.scf("status", "--target", str(root / "cart"))
    assert "rollout RolledBack: version 2 over stable 1" in status.stdout and "pay-prod-shop" in status.stdout


def test_status_at_the_root_lists_every_instance_rollout(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root, cart=HEALTHY, pay=RAISES)
    jcloud.per_minute = 12
    assert deploy(jcloud, root).exit_code == 4
    calls = len(jcloud.server.request_log())
    run = jcloud.scf("status", "--target", str(root), "--json")
    assert run.exit_code == 0, run.stderr
    rows = {row["instance"]: row for row in run.json()["instances"]}
    assert {name: row["status"] for name, row in rows.items()} == {"cart": "shown", "pay": "shown"}
    assert {name: row["result"]["rollout"]["phase"] for name, row in rows.items()} == {
        "cart": ROLLED_BACK,
        "pay": ROLLED_BACK,
    }
    assert {e["action"] for e in jcloud.server.request_log()[calls:]} == {"GetAlias"}  # reads only
    text = jcloud.scf("status", "--target", str(root))
    assert text.exit_code == 0, text.stderr
    assert text.stdout.count("rollout RolledBack: version 2 over stable 1") == 2
    assert "2 shown, 0 failed, 0 skipped" in text.stdout
    watch = jcloud.scf("status", "--target", str(root), "--watch")
    assert watch.exit_code == 4 and "0 shown, 2 failed" in watch.stdout


def test_a_function_without_traffic_keeps_the_release_inconclusive_then_paused(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root)
    jcloud.per_minute, jcloud.targets = 12, (CART,)
    run = deploy(jcloud, root)
    assert run.exit_code == 6, run.stderr  # paused part-way is not "deployed" (#16 item 4)
    assert "joint rollout paused (cart at 25% of version 2, pay at 25% of version 2)" in run.stderr
    checks = events(run, "rollout.joint.check")
    assert [(c["verdict"], c["move"]) for c in checks] == [("inconclusive", "wait")] * 2 + [("inconclusive", "pause")]
    assert checks[0]["detail"].startswith("instance pay (function pay-prod-shop): only 0 invocations of version 2")
    for function in (CART, PAY):
        state = jcloud.state_of(function)
        assert (state["ph"], state["i"], state["x"]) == ("Paused", 0, 3) and "instance pay" in state["r"]
        assert jcloud.alias_of(function).weights[0].weight == 0.25  # paused, not rolled back


def test_an_instance_that_fails_to_deploy_rolls_back_the_ones_that_started(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root)
    jcloud.server.add_fault("PublishVersion", "status_failure", function=PAY)
    run = deploy(jcloud, root)
    assert run.exit_code != 0
    assert events(run, "rollout.joint.check") == []  # no step was observed
    state = jcloud.state_of(CART)
    assert (state["ph"], state["c"], state["s"]) == ("Aborted", "2", "1")
    assert "instance pay of the joint rollout did not deploy (failed)" in state["r"]
    assert (jcloud.alias_of(CART).main_version, jcloud.alias_of(CART).weights) == ("1", ())
    assert jcloud.alias_of(PAY).main_version == "1"


def test_abort_of_one_instance_from_another_process_aborts_them_all(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root)
    jcloud.per_minute = 12
    seen: list[Run] = []

    def second_process(n: int) -> None:
        if not seen and jcloud.step_of(CART) == 1:  # during step 2's pause
            seen.append(jcloud.scf("abort", "--target", str(root / "cart")))

    jcloud.on_sleep.append(second_process)
    run = deploy(jcloud, root)
    assert seen and seen[0].exit_code == 0, seen
    assert run.exit_code == 4, run.stderr
    assert "instance cart (function cart-prod-shop): Aborted by another command" in events(run, "error")[-1]["message"]
    for function in (CART, PAY):
        assert jcloud.state_of(function)["ph"] == "Aborted"
        assert (jcloud.alias_of(function).main_version, jcloud.alias_of(function).weights) == ("1", ())


def test_a_killed_joint_deploy_continues_from_the_recorded_step_when_rerun(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root)
    jcloud.per_minute = 12

    def kill(n: int) -> None:
        if jcloud.step_of(CART) == 1:
            raise KeyboardInterrupt

    jcloud.on_sleep.append(kill)
    assert deploy(jcloud, root).exit_code == 130
    assert (jcloud.step_of(CART), jcloud.step_of(PAY)) == (1, 1)
    jcloud.on_sleep.clear()
    calls = len(jcloud.server.request_log())
    again = deploy(jcloud, root)
    assert again.exit_code == 0, again.stderr
    actions = [e["action"] for e in jcloud.server.request_log()[calls:]]
    assert "PublishVersion" not in actions and "UpdateFunctionCode" not in actions
    assert [c["move"] for c in events(again, "rollout.joint.check")] == ["advance", "promote"]
    assert [jcloud.state_of(f)["ph"] for f in (CART, PAY)] == [PROMOTED, PROMOTED]


def test_a_failing_hook_of_one_instance_aborts_them_all(jcloud: JointCloud, root: Path) -> None:
    config = root / "pay" / "serverless.yml"
    hook = '    hooks: {preStep: [{command: "test $SCF_ROLLOUT_STEP != 2 || exit 7", timeout: 5s}]}\n'
    config.write_text(config.read_text().replace("    interval: 1m\n", "    interval: 1m\n" + hook))
    first_release(jcloud, root)
    jcloud.per_minute = 12
    run = deploy(jcloud, root)
    assert run.exit_code == 4, run.stderr
    error = events(run, "error")[-1]["message"]
    assert "aborted" in error and "instance pay (function pay-prod-shop): preStep hook command" in error
    assert [c["move"] for c in events(run, "rollout.joint.check")] == ["advance"]
    for function in (CART, PAY):
        assert (jcloud.state_of(function)["ph"], jcloud.alias_of(function).weights) == ("Aborted", ())


def test_an_abort_landing_during_the_check_hooks_is_followed_not_overwritten(jcloud: JointCloud, root: Path) -> None:
    """A second `scf` process (run by pay's postStep hook of step 1) aborts cart after the verdict was reached:
    the walk must follow the abort on every alias instead of writing step 2 over it."""
    abort = f"{sys.executable} -m component abort --target {root / 'cart'} --endpoint {jcloud.server.endpoint}"
    config = root / "pay" / "serverless.yml"
    hook = f"    hooks: {{postStep: [{{command: 'test $SCF_ROLLOUT_STEP != 1 || {abort}', timeout: 30s}}]}}\n"
    config.write_text(config.read_text().replace("    interval: 1m\n", "    interval: 1m\n" + hook))
    first_release(jcloud, root)
    jcloud.per_minute = 12
    run = deploy(jcloud, root)
    assert [c["move"] for c in events(run, "rollout.joint.check")] == ["advance"]
    assert run.exit_code == 4, run.stderr
    assert "instance cart (function cart-prod-shop): Aborted by another command" in events(run, "error")[-1]["message"]
    assert all(w["rollout"]["i"] == 0 for w in jcloud.alias_writes() if w["rollout"])  # step 2 never written
    for function in (CART, PAY):
        assert jcloud.state_of(function)["ph"] == "Aborted"
        assert (jcloud.alias_of(function).main_version, jcloud.alias_of(function).weights) == ("1", ())


def test_dry_run_shows_each_plan_then_the_joint_rollout(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root)
    calls = len(jcloud.server.request_log())
    run = jcloud.scf("deploy", "--target", str(root), "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert "then one joint rollout of cart, pay with the steps of cart" in run.stderr
    writes = {"UpdateAlias", "PublishVersion", "UpdateFunctionCode"}
    assert not writes & {e["action"] for e in jcloud.server.request_log()[calls:]}


def test_different_steps_are_refused_before_any_cloud_call(jcloud: JointCloud, root: Path) -> None:
    config = root / "pay" / "serverless.yml"
    config.write_text(config.read_text().replace("steps: [0.25, 0.5,", "steps: [0.1, 0.5,"))
    run = jcloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 2
    assert "pay/serverless.yml" in run.stderr and "a joint rollout needs the same steps" in run.stderr
    assert jcloud.server.request_log() == []


# -- the pure parts ----------------------------------------------------------------------------


def judged(label: str, outcome: Outcome, reason: str) -> Judged:
    return Judged(label, VersionFigures("2"), VersionFigures("1"), Verdict(outcome, reason))


@pytest.mark.parametrize(
    ("outcomes", "expected", "named"),
    [
        ((Outcome.PASS, Outcome.PASS), Outcome.PASS, ["a", "b"]),
        ((Outcome.PASS, Outcome.FAIL), Outcome.FAIL, ["b"]),
        ((Outcome.INCONCLUSIVE, Outcome.FAIL), Outcome.FAIL, ["b"]),
        ((Outcome.INCONCLUSIVE, Outcome.PASS), Outcome.INCONCLUSIVE, ["a"]),
    ],
)
def test_joint_verdict_any_breach_fails_any_lack_of_traffic_waits(
    outcomes: tuple[Outcome, Outcome], expected: Outcome, named: list[str]
) -> None:
    verdict = joint_verdict([judged(n, o, f"why {n}") for n, o in zip("ab", outcomes, strict=True)])
    assert verdict.outcome is expected
    assert verdict.reason == "; ".join(f"{n}: why {n}" for n in named)


def test_policy_mismatches_name_the_differing_instance() -> None:
    base = {"steps": [0.25, 1], "interval": "1m"}
    specs = [
        ("a", spec_from(base)),
        ("b", spec_from({**base, "analysis": {"maxErrorRate": 0.5}})),  # thresholds may differ
        ("c", spec_from({**base, "interval": "2m"})),
        ("d", spec_from({**base, "autoRollback": False})),
    ]
    assert [name for name, _ in policy_mismatches(specs)] == ["c", "d"]


def test_states_at_different_steps_continue_together_from_the_lowest() -> None:
    a = RolloutState(PROGRESSING, "2", "1", (0.25, 1.0), step=1, started=5.0)
    b = RolloutState(PROGRESSING, "7", "6", (0.25, 1.0), step=0, started=6.0, inconclusive=1)
    assert aligned([a, a], 9.0) == [a, a]
    assert [(s.step, s.started, s.inconclusive) for s in aligned([a, b], 9.0)] == [(0, 9.0, 0), (0, 9.0, 0)]
    assert overall([a, b]) == PROGRESSING


def test_a_joint_rollback_is_not_reported_as_deployed_and_outputs_say_what_the_cloud_serves(
    jcloud: JointCloud, root: Path
) -> None:
    """#16 item 4: the summary, exit code, --json and outputs files agree with the cloud after a rollback."""
    first_release(jcloud, root, cart=HEALTHY, pay=RAISES)
    jcloud.per_minute = 12
    human = jcloud.scf("deploy", "--target", str(root))
    assert human.exit_code == 4
    assert "0 deployed, 2 failed" in human.stdout, human.stdout
    assert "rollout RolledBack" in human.stdout
    for instance in ("cart", "pay"):
        outputs = json.loads((root / instance / ".serverless" / f"{instance}.prod.outputs.json").read_text())
        assert (outputs["routing"], outputs["traffic"]) == ("{1: 100%}", 0), instance
        assert outputs["rollout"]["phase"] == ROLLED_BACK


def test_a_joint_rollback_with_json_lists_the_instances_as_failed(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root, cart=HEALTHY, pay=RAISES)
    jcloud.per_minute = 12
    document = deploy(jcloud, root).json()
    assert {row["instance"]: (row["status"], row["exit_code"]) for row in document["instances"]} == {
        "cart": ("failed", 4),
        "pay": ("failed", 4),
    }
    assert {row["instance"]: row["result"]["routing"] for row in document["instances"]} == {
        "cart": "{1: 100%}",
        "pay": "{1: 100%}",
    }


def test_a_joint_walk_shows_its_countdown(jcloud: JointCloud, root: Path) -> None:
    first_release(jcloud, root)
    jcloud.per_minute = 12
    run = deploy(jcloud, root)
    assert run.exit_code == 0, run.stderr
    waits = events(run, "rollout.wait")
    assert waits and waits[0]["left"] > 0 and waits[0]["rollout"]["step"] == 1


def test_a_joint_rollback_is_in_the_step_summary(
    jcloud: JointCloud, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    first_release(jcloud, root, cart=HEALTHY, pay=RAISES)
    jcloud.per_minute = 12
    assert deploy(jcloud, root).exit_code == 4
    text = summary.read_text().split("### scf deploy: joint rollout")[-1]
    assert text.startswith(" RolledBack") and "error rate 100.0%" in text
    assert "| pay | RolledBack, version 2 over 1 | {1: 100%} |" in text
