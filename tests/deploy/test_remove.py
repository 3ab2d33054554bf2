"""``scf remove``: a plan of deletions run by the executor, shown by ``--dry-run`` (#15), that works from
the function's identity alone (#13 item 9).

Each case deploys the demo project, then spoils ``serverless.yml`` the way a real project might drift
after its last deploy, and removes it: the function must be gone, with exit 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud, copy_fixture

FUNCTION = "hello-dev-demo"
SPOILED = [
    # case                                    text appended to inputs               warning that names the problem
    ("an invalid input", "  memorySize: lots\n", "inputs.memorySize"),
    ("a misspelt input", "  trafic: 0.5\n", "inputs.trafic"),
    ("an unresolvable variable", "  role: ${env:NOT_SET_ANYWHERE}\n", "inputs.role"),
    (
        "an API Gateway service deleted out of band",
        "  events:\n    - apigw:\n        parameters:\n          serviceId: service-gone0001\n"
        "          endpoints:\n            - path: /\n              method: GET\n",
        "",
    ),
]


def spoil(project: Path, text: str) -> None:
    config = project / "serverless.yml"
    config.write_text(config.read_text() + text)


@pytest.mark.parametrize(("case", "text", "named"), SPOILED, ids=[c[0] for c in SPOILED])
def test_remove_works_from_the_identity_alone(cloud: Cloud, project: Path, case: str, text: str, named: str) -> None:
    assert cloud.scf("deploy", "--target", str(project)).exit_code == 0
    spoil(project, text)
    run = cloud.scf("remove", "--target", str(project))
    assert run.exit_code == 0, (case, run.stderr)
    assert f"removed {FUNCTION}" in run.stderr
    assert named in run.stderr
    again = cloud.scf("remove", "--target", str(project), "--json")  # the function is gone
    assert (again.exit_code, again.json()) == (0, {"functionName": FUNCTION, "removed": False})


def test_an_invalid_name_still_stops_remove_before_any_call(cloud: Cloud, project: Path) -> None:
    assert cloud.scf("deploy", "--target", str(project)).exit_code == 0
    config = project / "serverless.yml"
    config.write_text(config.read_text().replace("name: hello", "name: ${env:NO_SUCH_NAME}", 1))
    before = len(cloud.calls())
    run = cloud.scf("remove", "--target", str(project))
    assert run.exit_code == 2
    assert "NO_SUCH_NAME" in run.stderr
    assert cloud.calls()[before:] == []


def test_dry_run_prints_the_deletion_plan_and_changes_nothing(cloud: Cloud, project: Path) -> None:
    assert cloud.scf("deploy", "--target", str(project)).exit_code == 0
    before = len(cloud.calls())
    run = cloud.scf("remove", "--target", str(project), "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert f"DeleteFunction {FUNCTION} (scf remove)" in run.stdout
    assert [c for c in cloud.calls()[before:] if not c.startswith(("Get", "List", "Describe"))] == []
    document = cloud.scf("remove", "--target", str(project), "--dry-run", "--json").json()
    assert document["lines"] == [f"DeleteFunction {FUNCTION} (scf remove)"]
    assert document["dry_run"] is True


def test_remove_of_a_function_that_does_not_exist_changes_nothing(cloud: Cloud, project: Path) -> None:
    run = cloud.scf("remove", "--target", str(project), "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {"functionName": FUNCTION, "removed": False}
    assert "DeleteFunction" not in cloud.calls()


def test_remove_at_a_root_removes_an_instance_whose_file_has_problems(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture("multi-chain", tmp_path)
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    spoil(root / "base", "  memorySize: lots\n")
    run = cloud.scf("remove", "--target", str(root))
    assert run.exit_code == 0, run.stderr
    deleted = [e["params"]["FunctionName"] for e in cloud.server.request_log() if e["action"] == "DeleteFunction"]
    assert sorted(deleted) == ["api-dev-demo", "base-dev-demo", "solo-dev-demo", "web-dev-demo"]
    assert "inputs.memorySize" in run.stderr
