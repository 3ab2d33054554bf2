"""Release commands on a function that was never deployed (or was removed) say so.

A new user who runs ``scf status`` or ``scf rollback`` before the first deploy, or with a wrong
``--stage``, must read that the function does not exist, not that ``$DEFAULT`` (which every function
has) is missing, nor a raw ``ResourceNotFound.Function`` from ``ListAliases``; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import deploy

MISSING = "--target: function hello-dev-demo does not exist in namespace default (deploy it first with scf deploy"

COMMANDS = {
    "status": ("status",),
    "status of a named alias": ("status", "--alias", "release"),
    "abort": ("abort", "--alias", "release"),
    "resume": ("resume", "--alias", "release"),
    "rollback of $DEFAULT": ("rollback",),
    "rollback of a named alias": ("rollback", "--alias", "release"),
    "promote": ("promote", "--alias", "release", "--to", "1"),
}


@pytest.mark.parametrize("case", list(COMMANDS))
def test_a_release_command_on_a_missing_function_names_the_function(case: str, cloud: Cloud, project: Path) -> None:
    run = cloud.scf(*COMMANDS[case], "--target", str(project))
    assert run.exit_code == 2, run.stderr
    assert MISSING in run.stderr
    assert "$DEFAULT does not exist" not in run.stderr
    assert not [c for c in cloud.calls() if c in ("CreateAlias", "UpdateAlias", "DeleteAlias")]


def test_a_missing_alias_on_an_existing_function_is_still_named_with_the_known_ones(
    cloud: Cloud, project: Path
) -> None:
    deploy(cloud, project, "--inputs", "aliasName=prepub")
    run = cloud.scf("rollback", "--target", str(project), "--alias", "relase")
    assert run.exit_code == 2, run.stderr
    assert "--alias: alias relase does not exist on function hello-dev-demo (aliases: $DEFAULT, prepub)" in run.stderr
