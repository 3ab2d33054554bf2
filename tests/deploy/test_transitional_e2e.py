"""The examples again, with the cloud's transitional states (#14 item 8): every write leaves the function
``Creating``/``Updating``/``Publishing`` for a while, as the real API does, so the deploy's wait paths run.

The clock is the suite's fake clock: the tool's waits advance it, so a 2.5 s transition costs no real time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from component.emulator import EmulatorConfig, EmulatorServer
from tests.conftest import Cloud, FakeClock, copy_fixture
from tests.deploy.test_deploy_e2e import writes
from tests.deploy.test_examples_e2e import EXAMPLES, LAYERS, publish_layer

STATUS_DELAY = 2.5


@pytest.fixture
def slow_cloud(clock: FakeClock) -> Iterator[Cloud]:
    with EmulatorServer(EmulatorConfig(clock=clock.now, status_delay=STATUS_DELAY, seed=7)) as server:
        yield Cloud(server, clock)


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_waits_out_the_transitions_and_converges(slow_cloud: Cloud, tmp_path: Path,
                                                             example: str) -> None:
    project = copy_fixture(example, tmp_path)
    if example in LAYERS:
        publish_layer(slow_cloud, *LAYERS[example])
    first = slow_cloud.scf("deploy", "--target", str(project), "--json")
    assert first.exit_code == 0, first.stderr
    calls = slow_cloud.calls()
    assert slow_cloud.clock.slept >= STATUS_DELAY  # it waited for Creating to end before going on
    assert calls.count("GetFunction") >= 2, calls  # and polled to see it
    before = len(calls)
    second = slow_cloud.scf("deploy", "--target", str(project), "--json")
    assert second.exit_code == 0, second.stderr
    assert writes(slow_cloud.calls()[before:]) == []
