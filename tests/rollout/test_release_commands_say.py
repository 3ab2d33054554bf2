"""#16 "Visible": rollback, promote and prune say what they did (routing before -> after), not a blank line."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import change_code, deploy


def test_release_commands_print_before_and_after(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "aliasName=release")
    change_code(project)
    deploy(cloud, project, "--inputs", "aliasName=release", "traffic=0.3")
    table = [
        (("rollback", "--alias", "release"), "alias release: {1: 70%, 2: 30%} -> {1: 100%}\n"),
        (("promote", "--alias", "release", "--to", "2"), "alias release: {1: 100%} -> {2: 100%}\n"),
        (("prune", "--keep", "1"), "nothing to change\n"),  # version 1 is kept: it is the rollback target
    ]
    for argv, said in table:
        run = cloud.scf(*argv, "--target", str(project))
        assert (run.exit_code, run.stdout) == (0, said), (argv, run.stderr)
    as_json = cloud.scf("rollback", "--alias", "release", "--target", str(project), "--json").json()
    assert as_json["done"] == ["alias release: {2: 100%} -> {1: 100%}"]
