"""``scf deploy --local`` then ``scf invoke --local``: the emulator runs what real projects ship.

Node.js handlers run for real (async, sync, callback style; a thrown error and a timeout are answered
the way SCF answers them), a runtime the emulator cannot run is a clear error naming it, and a
handler sees the runtime's environment and its own variables, never the deploying shell's secrets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cloud, Run, copy_fixture


def _deploy_and_invoke(cloud: Cloud, root: Path, *inputs: str, event: str = '{"n": 3}') -> Run:
    deployed = cloud.scf("deploy", "--local", "--target", str(root), *inputs)
    assert deployed.exit_code == 0, deployed.stderr
    return cloud.scf("invoke", "--local", "--target", str(root), "--json", "--event", event)


def _result(run: Run) -> Any:
    return json.loads(run.json()["result"])


NODE_CASES = [
    # handler, exit code, exact result (or the fields of the SCF error answer), a line of the Log
    ("index.main_handler", 0, {"style": "async", "event": {"n": 3}, "greeting": "hello", "version": "$LATEST",
                         "region": "ap-guangzhou"},
     'async got {"n":3}'),
    ("index.sync_handler", 0, {"style": "sync", "n": 3}, "sync on stderr"),
    ("index.callback_handler", 0, {"style": "callback", "left": True}, "END RequestId"),
    ("esm.main_handler", 0, {"style": "esm", "n": 3, "name": "node-event-dev-runtimes"}, "END RequestId"),
    ("index.missing", 4, {"errorType": "Error", "errorMessage": "missing is not a function exported by index",
                          "statusCode": 430}, "END RequestId"),
    ("index.failing_handler", 4, {"errorCode": 1, "errorType": "TypeError", "errorMessage": "bad input",
                                  "statusCode": 430},
     "about to fail"),
    ("index.slow_handler", 4, {"errorCode": 1, "errorType": "Timeout", "statusCode": 433,
                         "errorMessage": "Invoking task timed out after 1 seconds"}, "sleeping"),
]


@pytest.mark.parametrize(("handler", "exit_code", "expected", "log_line"), NODE_CASES,
                         ids=[case[0] for case in NODE_CASES])
def test_node_handlers_run(cloud: Cloud, tmp_path: Path, handler: str, exit_code: int, expected: dict[str, Any],
                           log_line: str) -> None:
    root = copy_fixture("node-event", tmp_path)
    run = _deploy_and_invoke(cloud, root, f"--inputs.handler={handler}")
    assert run.exit_code == exit_code, run.stderr
    result = _result(run)
    assert {key: result.get(key) for key in expected} == expected
    assert log_line in run.json()["log"]


def test_node_error_trace_names_the_users_file_not_the_worker(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture("node-event", tmp_path)
    trace = _result(_deploy_and_invoke(cloud, root, "--inputs.handler=index.failing_handler"))["stackTrace"]
    assert trace.startswith("TypeError: bad input\n") and "index.js:" in trace
    assert "node_worker.js" not in trace


def test_unrunnable_runtime_is_an_error_naming_it(cloud: Cloud, tmp_path: Path) -> None:
    run = _deploy_and_invoke(cloud, copy_fixture("go-event", tmp_path))
    assert run.exit_code == 3
    assert "FailedOperation.InvokeFunction" in run.stderr and "'Go1'" in run.stderr
    assert "cannot run runtime" in run.stderr and json.loads(run.stdout)["exit_code"] == 3  # --json: one document


SECRETS = {"TENCENT_SECRET_KEY": "real-key-of-the-deployer", "TENCENTCLOUD_SECRET_KEY": "another-real-key",
           "GITHUB_TOKEN": "ghp_deployers_token", "AWS_SECRET_ACCESS_KEY": "unrelated-secret"}


def test_handler_sees_runtime_and_own_variables_not_the_deploying_shell(
        cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    run = _deploy_and_invoke(cloud, copy_fixture("handler-env", tmp_path))
    assert run.exit_code == 0, run.stderr
    env = _result(run)
    for value in SECRETS.values():
        assert value not in run.stdout + run.stderr
    assert not set(SECRETS) & set(env)
    expected = {"OWN_SETTING": "mine", "SCF_FUNCTIONNAME": "handler-env-dev-runtimes", "SCF_FUNCTIONVERSION": "$LATEST",
                "SCF_NAMESPACE": "default", "SCF_RUNTIME": "Python3.9", "TENCENTCLOUD_REGION": "ap-guangzhou",
                "TENCENTCLOUD_RUNENV": "SCF"}
    assert {key: env.get(key) for key in expected} == expected
    allowed = {*expected, "PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TENCENTCLOUD_TZ", "USER_CODE_ROOT"}
    assert set(env) <= allowed


def test_node_handler_environment_is_the_runtimes_too(cloud: Cloud, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENCENT_SECRET_KEY", "real-key-of-the-deployer")
    env = _result(_deploy_and_invoke(cloud, copy_fixture("node-event", tmp_path), "--inputs.handler=index.env_handler"))
    assert "TENCENT_SECRET_KEY" not in env and env["GREETING"] == "hello"
    assert (env["SCF_FUNCTIONNAME"], env["SCF_RUNTIME"]) == ("node-event-dev-runtimes", "Nodejs18.15")


CUSTOM_CASES = [
    # event, exit code, exact result (or the fields of the SCF error answer)
    ('{"n": 1}', 0, {"echo": {"n": 1}, "limit": "2000", "runtime": "CustomRuntime"}),
    ('{"fail": true}', 4, {"errorCode": 1, "errorMessage": "cannot handle this event", "statusCode": 430}),
]


@pytest.mark.parametrize(("event", "exit_code", "expected"), CUSTOM_CASES, ids=["response", "error"])
def test_custom_runtime_bootstrap_runs_through_the_runtime_api(cloud: Cloud, tmp_path: Path, event: str,
                                                               exit_code: int, expected: dict[str, Any]) -> None:
    run = _deploy_and_invoke(cloud, copy_fixture("custom-runtime", tmp_path), event=event)
    assert run.exit_code == exit_code, run.stderr
    result = _result(run)
    assert {key: result.get(key) for key in expected} == expected
    log = run.json()["log"]
    assert "bootstrap starting" in log and f"handling {run.json()['functionRequestId']}" in log
