"""``msgTTL`` / ``retryNum``: the async retry policy of async-run functions (#13).

Applied with UpdateFunctionEventInvokeConfig when ``asyncRunEnable`` is true (defaults 21600 s and 2
retries, as the Node toolkit sends), read back with GetFunctionEventInvokeConfig so that an unchanged
redeploy writes nothing; without ``asyncRunEnable`` nothing is sent and a warning says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, fixture, redeploy_writes, remove, writes

NAME = "longjob-dev-demo"


def retry_config(cloud: Cloud) -> dict[str, object]:
    config: dict[str, object] = call(cloud, "GetFunctionEventInvokeConfig", FunctionName=NAME)["AsyncTriggerConfig"]
    return config


def test_async_retry_is_applied_then_left_alone_then_removed(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("async-retry", tmp_path)
    deploy(cloud, project)
    assert writes(cloud) == ["CreateFunction", "UpdateFunctionEventInvokeConfig"]
    assert retry_config(cloud) == {"MsgTTL": 3600, "RetryConfig": [{"RetryNum": 0}]}

    assert redeploy_writes(cloud, project) == []

    remove(cloud, project)
    assert writes(cloud)[-1] == "DeleteFunction"


CHANGES = [
    (["--inputs.retryNum=1"], {"MsgTTL": 3600, "RetryConfig": [{"RetryNum": 1}]}),
    (["--inputs.msgTTL=60"], {"MsgTTL": 60, "RetryConfig": [{"RetryNum": 0}]}),
    (["--inputs", "msgTTL=null", "retryNum=null"], {"MsgTTL": 21600, "RetryConfig": [{"RetryNum": 2}]}),  # the defaults
]


@pytest.mark.parametrize(("args", "expected"), CHANGES, ids=["retryNum", "msgTTL", "defaults"])
def test_a_changed_retry_policy_is_written_once(
    cloud: Cloud, tmp_path: Path, args: list[str], expected: dict[str, object]
) -> None:
    project = fixture("async-retry", tmp_path)
    deploy(cloud, project)
    assert redeploy_writes(cloud, project, *args) == ["UpdateFunctionEventInvokeConfig"]
    assert retry_config(cloud) == expected
    assert redeploy_writes(cloud, project, *args) == []


def test_without_async_run_nothing_is_sent_and_a_warning_says_so(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("async-retry", tmp_path)
    run = cloud.scf("deploy", "--target", str(project), "--inputs", "asyncRunEnable=false", "timeout=30")
    assert run.exit_code == 0, run.stderr
    assert "msgTTL/retryNum are not applied" in run.stderr
    assert writes(cloud) == ["CreateFunction"]
    assert "GetFunctionEventInvokeConfig" not in cloud.calls()
