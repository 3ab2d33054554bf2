"""Secrets: the emulator checks them like the cloud, and the tool never prints or stores them.

First, through the official SDK: a wrong SecretKey, an unknown SecretId and a stale timestamp are
refused. Then a set of commands (deploy, info, invoke, remove, a failing deploy, a ``--debug``
traceback) runs with a distinctive SecretKey and Token, against an emulator that accepts that key
pair, and every byte they leave behind (stdout, stderr, the outputs file, the emulator's state file,
exception messages) is searched for the key and the token.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from component.cli import main
from component.cloud.api import ScfApi
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.emulator import EmulatorConfig, EmulatorServer
from component.errors import CloudError
from component.render import Reporter
from component.tools import Tools
from tests.reliability.conftest import make_project

SECRET_ID = "AKIDreliabilityTEST0000000000000000000"
SECRET_KEY = "sk-RELIABILITY-do-not-print-7f3a9c"
TOKEN = "tok-RELIABILITY-session-b81e44"

REFUSALS = [
    # case               SecretId used                            SecretKey used   emulator clock skew  expected
    ("wrong key", SECRET_ID, "not-the-key", 0, "AuthFailure.SignatureFailure"),
    ("unknown id", "AKIDunknown0000000000000000000000000", SECRET_KEY, 0, "AuthFailure.SecretIdNotFound"),
    ("stale timestamp", SECRET_ID, SECRET_KEY, 3600, "AuthFailure.SignatureExpire"),
]


@pytest.mark.parametrize(("case", "secret_id", "secret_key", "skew", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_the_emulator_refuses_bad_credentials_through_the_sdk(
    case: str, secret_id: str, secret_key: str, skew: float, code: str
) -> None:
    config = EmulatorConfig(secret_id=SECRET_ID, secret_key=SECRET_KEY, auth_clock=lambda: time.time() + skew)
    with EmulatorServer(config) as server:
        transport = SdkTransport(Credentials(secret_id, secret_key), "ap-guangzhou", endpoint=server.endpoint,
                                 sleep=lambda _: None)
        with pytest.raises(CloudError) as caught:
            ScfApi(transport).get_function("anything")
    assert caught.value.code == code
    assert SECRET_KEY not in str(caught.value)


def test_no_command_leaks_the_secret_key_or_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TENCENT_SECRET_ID", SECRET_ID)
    monkeypatch.setenv("TENCENT_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("TENCENT_TOKEN", TOKEN)
    monkeypatch.setenv("SCF_ENDPOINT_CREDENTIALS", "environment")  # sign with them, as against the cloud
    project = make_project(tmp_path / "app", "aliasName: release\n")
    state = tmp_path / "emulator-state.json"
    leftovers: list[str] = []
    config = EmulatorConfig(secret_id=SECRET_ID, secret_key=SECRET_KEY, state_file=state)
    with EmulatorServer(config) as server:

        def scf(*argv: str) -> int:
            out, err = io.StringIO(), io.StringIO()
            tools = Tools(reporter=Reporter(out=out, err=err), sleep=lambda _: None, clock=time.monotonic)
            try:
                code = main([*argv, "--target", str(project), "--endpoint", server.endpoint], tools)
            except BaseException as exc:
                leftovers.append(repr(exc))
                code = -1
            leftovers.extend([out.getvalue(), err.getvalue()])
            return code

        assert scf("deploy") == 0
        assert scf("deploy", "--json", "--inputs.publish=true") == 0
        assert scf("info") == 0
        assert scf("info", "--json") == 0
        scf("invoke")
        server.add_fault("UpdateFunctionConfiguration", "internal_error")
        assert scf("deploy", "--debug", "--inputs.memorySize=256") == 3
        server.add_fault("GetFunction", "internal_error")
        assert scf("info", "--debug") == 3
        leftovers.extend(str(entry) for entry in server.request_log())
        for outputs in (project / ".serverless").glob("*"):
            leftovers.append(outputs.read_text(errors="replace"))
        assert scf("remove") == 0
    leftovers.append(state.read_text(errors="replace"))
    assert len(leftovers) > 10
    for text in leftovers:
        assert SECRET_KEY not in text
        assert TOKEN not in text
