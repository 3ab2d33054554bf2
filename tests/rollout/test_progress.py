"""#16 "Visible while it happens": a waiting step shows the step, weights, countdown and figures so far:
one redrawn line on a terminal, plain lines otherwise, NDJSON ``rollout.wait`` events with --json."""

from __future__ import annotations

import io
from pathlib import Path

from component.cli import main
from component.render import Reporter
from component.tools import Tools
from tests.conftest import Run
from tests.rollout.cloud import RolloutCloud, events
from tests.rollout.test_rollout_e2e import deploy, first_release


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_count_down_and_show_the_figures_so_far(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    run = rcloud.scf("deploy", "--target", str(canary), "--inputs", "rollout.interval=4m")  # longer than a minute
    assert run.exit_code == 0, run.stderr
    waits = [line.split("] ", 1)[1] for line in run.stderr.splitlines() if "next check in" in line]
    assert waits[0].startswith("rollout step 1/3: v2 [#####...............] 25% | v1; next check in ")
    assert waits[0].endswith("so far no complete minute yet")
    assert any("so far v2: " in w and " inv, " in w for w in waits)  # figures once a minute is complete
    assert len(waits) < 40  # a line per 30 s of countdown, not one per poll


def test_json_progress_is_ndjson_events(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    run = deploy(rcloud, canary, "--inputs", "rollout.interval=4m")
    waits = events(run, "rollout.wait")  # type: ignore[arg-type]
    assert waits and waits[0]["rollout"]["step"] == 1 and waits[0]["left"] > 0
    assert any("candidate" in w for w in waits)


def test_a_terminal_gets_one_redrawn_line(rcloud: RolloutCloud, canary: Path) -> None:
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    out, err = io.StringIO(), Terminal()
    tools = Tools(
        reporter=Reporter(out=out, err=err, clock=rcloud.clock.now),
        sleep=rcloud.sleep,
        clock=rcloud.clock.now,
        wall=rcloud.wall,
    )
    run = Run(
        main(["deploy", "--target", str(canary), "--endpoint", rcloud.server.endpoint], tools),
        out.getvalue(),
        err.getvalue(),
    )
    assert run.exit_code == 0, run.stderr
    assert "\r\x1b[Krollout step 1/3:" in run.stderr
    lines = run.stderr.split("\n")
    assert not any(line.count("next check in") > 1 and "\r" not in line for line in lines)
    assert "rollout Promoted" in run.stderr.replace("\r\x1b[K", "\n")
