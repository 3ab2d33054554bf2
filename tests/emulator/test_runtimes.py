"""Runtimes the emulator cannot run answer an API error naming the runtime, never an empty success."""

from __future__ import annotations

import json

import pytest
from emu_sdk import api, create, make_zip
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.scf.v20180416.scf_client import ScfClient

CODE = make_zip({"main": "not runnable here\n"})


@pytest.mark.parametrize("runtime", ["Go1", "Java8", "Java11", "Php7", "Php8.0"])
@pytest.mark.parametrize("action", ["Invoke", "InvokeFunction"])
def test_unrunnable_runtime_is_an_error_naming_it(scf: ScfClient, runtime: str, action: str) -> None:
    handler = "main" if runtime == "Go1" else "index.main_handler"
    create(scf, Runtime=runtime, Handler=handler, Code={"ZipFile": CODE})
    with pytest.raises(TencentCloudSDKException) as exc:
        api(scf, action, FunctionName="fn")
    assert exc.value.code == "FailedOperation.InvokeFunction"
    assert f"cannot run runtime {runtime!r}" in exc.value.message


def test_code_the_emulator_does_not_hold_is_an_error(scf: ScfClient) -> None:
    create(scf, Code={"CosBucketName": "code-1250000000", "CosObjectName": "/fn.zip"})
    with pytest.raises(TencentCloudSDKException) as exc:
        api(scf, "Invoke", FunctionName="fn")
    assert exc.value.code == "FailedOperation.InvokeFunction"
    assert "does not hold this function's code" in exc.value.message


def test_container_image_is_an_error_naming_it(scf: ScfClient) -> None:
    create(scf, Code={"ImageConfig": {"ImageType": "personal", "ImageUri": "ccr.ccs.tencentyun.com/me/app:1"}})
    with pytest.raises(TencentCloudSDKException) as exc:
        api(scf, "Invoke", FunctionName="fn")
    assert exc.value.code == "FailedOperation.InvokeFunction"
    assert "does not run container images (image://ccr.ccs.tencentyun.com/me/app:1)" in exc.value.message


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ({"main": "no bootstrap\n"}, "needs an executable bootstrap at the root of its code"),
        ({"bootstrap": "#!/bin/bash\n/var/lang/php7/bin/php index.php\n"}, "(/var/lang/…) that has no local"),
    ],
    ids=["no-bootstrap", "php-bootstrap"],
)
def test_custom_runtime_that_cannot_run_here(scf: ScfClient, files: dict[str, str], says: str) -> None:
    create(scf, Runtime="CustomRuntime", Handler="index.main_handler", Code={"ZipFile": make_zip(files)})
    with pytest.raises(TencentCloudSDKException) as exc:
        api(scf, "Invoke", FunctionName="fn")
    assert exc.value.code == "FailedOperation.InvokeFunction"
    assert "CustomRuntime" in exc.value.message
    assert says in exc.value.message


WARM_NODE = """
let calls = 0;
exports.main = async (event) => {
  calls += 1;
  console.log("call", event.n);
  return { pid: process.pid, calls, n: event.n };
};
"""


def test_node_worker_stays_warm_and_captures_each_invocations_output(scf: ScfClient) -> None:
    create(scf, Code={"ZipFile": make_zip({"index.js": WARM_NODE})})
    first, second = (api(scf, "Invoke", FunctionName="fn", ClientContext=f'{{"n": {n}}}')["Result"] for n in (1, 2))
    one, two = json.loads(first["RetMsg"]), json.loads(second["RetMsg"])
    assert (one["pid"], one["calls"], two["calls"]) == (two["pid"], 1, 2)  # one process, module loaded once
    assert "call 2\n" in second["Log"] and "call 1" not in second["Log"]


def test_node_runtime_without_node_on_the_path(scf: ScfClient, monkeypatch: pytest.MonkeyPatch) -> None:
    create(scf)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(TencentCloudSDKException) as exc:
        api(scf, "Invoke", FunctionName="fn")
    assert exc.value.code == "FailedOperation.InvokeFunction"
    assert "needs `node` on the PATH" in exc.value.message
