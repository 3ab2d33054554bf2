"""#16 item 8 and #19 item 5: secrets are masked as whole values, everywhere, and never stored in the cloud.

Masking used to replace substrings (with the key ``y`` the progress line read ``deplo*** canary``) and
was not applied to ``error:`` lines; a failing hook's stderr holding the key went unmasked into the
error line, the NDJSON error, the outputs file and the alias description in the cloud.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from component.masking import Masker
from tests.rollout.cloud import RolloutCloud, events, open_cloud
from tests.rollout.test_rollout_e2e import first_release

SHORT = "y"
LONG = "Zq8sLongSecretKeyValue0123456789ab"


@pytest.mark.parametrize(
    ("secrets", "text", "masked"),
    [
        ([SHORT], "deploy canary", "deploy canary"),  # inside a word: not the value
        ([SHORT], "key=y token y.", "key=*** token ***."),
        ([SHORT], "yy y-y", "yy ***-***"),
        (["ab1"], "ab12 ab1 xab1", "ab12 *** xab1"),
        ([LONG], f"a{LONG}b {LONG}", "a***b ***"),  # long: masked even glued to other text
        ([SHORT, LONG], f"{LONG} y deploy", "*** *** deploy"),
        (["s3cr+t/="], "k=s3cr+t/= k2=s3cr+t/=x", "k=*** k2=s3cr+t/=x"),  # regex characters are literal
        ([], "deploy y", "deploy y"),
        (["", SHORT], "y", "***"),
    ],
)
def test_whole_values_are_masked(secrets: list[str], text: str, masked: str) -> None:
    assert Masker(secrets).mask(text) == masked


@pytest.fixture(params=[SHORT, LONG], ids=["short", "long"])
def keyed(
    request: pytest.FixtureRequest, canary: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[RolloutCloud, Path, str]]:
    """An emulator that accepts only ``TENCENT_SECRET_KEY=<secret>``, and the canary project using it."""
    secret = str(request.param)
    monkeypatch.setenv("SCF_ENDPOINT_CREDENTIALS", "environment")  # --endpoint signs with these, as the cloud
    (canary / ".env").write_text(f"TENCENT_SECRET_ID=AKIDmasking\nTENCENT_SECRET_KEY={secret}\n")
    with open_cloud(RolloutCloud, secret_id="AKIDmasking", secret_key=secret) as cloud:
        yield cloud, canary, secret


def leaked(text: str, secret: str) -> bool:
    return Masker([secret]).mask(text) != text


def test_a_hook_printing_the_key_is_masked_in_every_line_file_and_the_cloud(
    keyed: tuple[RolloutCloud, Path, str],
) -> None:
    rcloud, canary, secret = keyed
    first_release(rcloud, canary)
    rcloud.per_minute = 12
    hook = {"preStep": [{"command": f"echo 'login refused for key {secret}' >&2; exit 3", "timeout": "5s"}]}
    human = rcloud.scf("deploy", "--target", str(canary), "--inputs", f"rollout.hooks={json.dumps(hook)}")
    assert human.exit_code == 4, human.stderr
    error = human.stderr.splitlines()[-1]
    assert error.startswith("error: rollout of version 2 aborted") and "login refused for key ***" in error
    assert "] deploy canary (stage prod)" in human.stderr  # the word "deploy" is not a secret
    assert not leaked(human.stderr + human.stdout, secret)
    outputs = (canary / ".serverless" / "canary.prod.outputs.json").read_text()
    assert "login refused for key ***" in outputs and not leaked(outputs, secret)
    stored = rcloud.alias().description
    assert "login refused for key ***" in stored and not leaked(stored, secret)
    as_json = rcloud.scf("deploy", "--target", str(canary), "--json", "--inputs", f"rollout.hooks={json.dumps(hook)}")
    assert not leaked(as_json.stderr + as_json.stdout, secret)
    assert "login refused for key ***" in events(as_json, "error")[-1]["message"]


def test_an_error_line_is_masked(keyed: tuple[RolloutCloud, Path, str]) -> None:
    """A message that quotes the key (here the alias given on the command line) is masked on the error line."""
    rcloud, canary, secret = keyed
    first_release(rcloud, canary)
    for extra in ((), ("--json",)):
        run = rcloud.scf("abort", "--target", str(canary), "--alias", f"x{secret}", *extra)
        assert run.exit_code == 2
        assert not leaked(run.stderr, secret), run.stderr
