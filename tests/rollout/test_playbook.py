"""#16 "Done when": the seed's playbook from an empty emulator, nothing prepared.

``$DEFAULT`` for development → ``prepub`` with Bob's rule (everyone else on the stable version) →
``release`` 10 % → 50 % → 100 % → ``scf rollback``. At each step: who gets which version (Bob, others,
a sample of plain calls through the SDK), and what ``info``, ``status``, the outputs file and ``--json``
say. Each version's handler returns the code it was deployed with, so a sample tells the versions apart
even where the cloud does not name the version that served (a weighted alias).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from component.cloud.api import ScfApi
from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.conftest import Cloud

FUNCTION = "hello-dev-demo"
BOB_RULE = 'rules=[{"key":"invoke.headers.User","method":"exact","expression":"Bob"}]'
SAMPLE = 50


def code(project: Path, text: str) -> None:
    (project / "src" / "index.py").write_text(f"def main_handler(event, context):\n    return {{'code': '{text}'}}\n")


def scf_json(cloud: Cloud, project: Path, *argv: str) -> dict[str, Any]:
    run = cloud.scf(*argv, "--target", str(project), "--json")
    assert run.exit_code == 0, run.stderr
    document: dict[str, Any] = json.loads(run.stdout)  # exactly one document
    return document


def served(cloud: Cloud, project: Path, qualifier: str, user: str | None = None) -> str:
    """The code that answered one ``scf invoke`` (as Bob, another user, or no routing key)."""
    argv = ["invoke", "--qualifier", qualifier] + (["--routing-key", json.dumps({"User": user})] if user else [])
    return str(json.loads(scf_json(cloud, project, *argv)["result"])["code"])


def sample(cloud: Cloud, qualifier: str) -> Counter[str]:
    """Which code answered ``SAMPLE`` plain calls of ``qualifier``, through the official SDK."""
    api = ScfApi(
        SdkTransport(
            Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY),
            "ap-guangzhou",
            endpoint=cloud.endpoint,
            sleep=lambda _: None,
        )
    )
    answers: Counter[str] = Counter()
    for _ in range(SAMPLE):
        body = api.scf("Invoke", {"FunctionName": FUNCTION, "Qualifier": qualifier, "Namespace": "default"})
        answers[json.loads(body["Result"]["RetMsg"])["code"]] += 1
    return answers


def alias_info(cloud: Cloud, project: Path, name: str) -> dict[str, Any]:
    (found,) = [a for a in scf_json(cloud, project, "info")["aliases"] if a["name"] == name]
    return found


def outputs_file(project: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project / ".serverless" / "hello.dev.outputs.json").read_text())
    return data


def test_the_seed_playbook_from_an_empty_emulator(cloud: Cloud, project: Path) -> None:
    # 1. development on $DEFAULT: every deploy updates $LATEST, which $DEFAULT serves
    code(project, "one")
    deployed = scf_json(cloud, project, "deploy")
    assert deployed["functionName"] == FUNCTION
    assert served(cloud, project, "$DEFAULT") == "one"
    assert scf_json(cloud, project, "info")["versions"] == []

    # the stable version: release created on version 1 with all traffic (nothing to shift from)
    deployed = scf_json(cloud, project, "deploy", "--inputs", "aliasName=release")
    assert (deployed["lastVersion"], deployed["aliasName"]) == ("1", "release")
    assert alias_info(cloud, project, "release")["promoted"] == ["1"]

    # 2. prepub does not exist yet: it starts on the stable version 1, and only Bob gets version 2
    code(project, "two")
    run = cloud.scf("deploy", "--target", str(project), "--json", "--inputs", "aliasName=prepub", BOB_RULE)
    assert run.exit_code == 0, run.stderr
    assert "alias prepub did not exist: it is created on version 1" in run.stderr
    prepub = alias_info(cloud, project, "prepub")
    assert prepub["routing"] == [
        {"version": "1", "weight": 1.0},
        {"version": "2", "rule": "invoke.headers.User exact Bob"},
    ]
    assert prepub["promoted"] == []  # version 2 serves Bob only: not promoted
    assert [served(cloud, project, "prepub", u) for u in ("Bob", "Alice", None)] == ["two", "one", "one"]
    assert sample(cloud, "prepub") == Counter({"one": SAMPLE})
    assert sample(cloud, "release") == Counter({"one": SAMPLE})  # release is untouched

    # 3. release 10 % → 50 % → 100 %: version 2 (already published for prepub) gets its share
    for traffic, share in (("0.1", 0.1), ("0.5", 0.5)):
        deployed = scf_json(cloud, project, "deploy", "--inputs", "aliasName=release", f"traffic={traffic}")
        assert deployed["lastVersion"] == "2" and deployed["traffic"] == share
        assert outputs_file(project)["traffic"] == share
        routing = alias_info(cloud, project, "release")["routing"]
        assert routing == [{"version": "1", "weight": round(1 - share, 12)}, {"version": "2", "weight": share}]
        answers = sample(cloud, "release")
        assert abs(answers["two"] / SAMPLE - share) <= 0.12, answers
        assert answers["one"] + answers["two"] == SAMPLE
        status = scf_json(cloud, project, "status", "--alias", "release")
        assert status["rollout"] is None and status["routing"] == f"{{1: {(1 - share) * 100:g}%, 2: {share * 100:g}%}}"
    deployed = scf_json(cloud, project, "deploy", "--inputs", "aliasName=release", "traffic=1")
    assert alias_info(cloud, project, "release")["routing"] == [{"version": "2", "weight": 1.0}]
    assert alias_info(cloud, project, "release")["promoted"] == ["1", "2"]
    assert sample(cloud, "release") == Counter({"two": SAMPLE})
    assert outputs_file(project)["traffic"] == 1

    # 4. rollback: all of release back on version 1, and version 2 is never a rollback target again
    rolled = scf_json(cloud, project, "rollback", "--alias", "release")
    assert rolled["function"] == FUNCTION
    release = alias_info(cloud, project, "release")
    assert release["routing"] == [{"version": "1", "weight": 1.0}]
    assert release["rolledBack"] == ["2"]
    assert sample(cloud, "release") == Counter({"one": SAMPLE})
    assert [served(cloud, project, "prepub", u) for u in ("Bob", "Alice")] == ["two", "one"]  # prepub unchanged
    again = cloud.scf("rollback", "--target", str(project), "--alias", "release", "--json")
    assert again.exit_code == 2 and json.loads(again.stdout)["exit_code"] == 2  # nothing older to go to
