"""Issue 15: deploy, dry run and rollout are compositions of the same pipeline stages.

The rollout replaces only the alias stage by the step walker, so everything else a deploy does
(API Gateway for apigw events, SCF triggers, their outputs, ``keepVersions``) happens with a
``rollout`` too, and the plans differ only in their alias write.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from component.deploy.pipeline import create_deploy_pipeline, create_plan_only_pipeline
from component.deploy.removal import create_deletion_pipeline
from component.rollout.deploy import rollout_alias_stage
from component.rollout.model import RolloutSpec, Step
from tests.conftest import copy_fixture
from tests.rollout.cloud import RolloutCloud

HEALTHY = "def main_handler(event, context):\n    return {'ok': %d}\n"
EXTRA_INPUTS = """\
  keepVersions: 1
  events:
    - timer:
        parameters:
          name: nightly
          cronExpression: "0 0 3 * * * *"
    - apigw:
        parameters:
          serviceName: shop_api
          environment: release
          endpoints:
            - path: /
              method: GET
              function:
                functionQualifier: release
"""
SECOND_ENDPOINT = """\
            - path: /v2
              method: GET
              function:
                functionQualifier: release
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """The canary project (release alias, 25 % → 50 % → 100 %) with a timer, an API and keepVersions 1."""
    project = copy_fixture("rollout-canary", tmp_path)
    config = project / "serverless.yml"
    config.write_text(config.read_text() + EXTRA_INPUTS)
    return project


def without_rollout(project: Path) -> None:
    config = project / "serverless.yml"
    lines = config.read_text().splitlines()
    start = lines.index("  rollout:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    config.write_text("\n".join(lines[:start] + lines[end:]) + "\n")


def release(rcloud: RolloutCloud, project: Path, n: int) -> dict[str, object]:
    (project / "src" / "index.py").write_text(HEALTHY % n)
    run = rcloud.scf("deploy", "--target", str(project), "--json")
    assert run.exit_code == 0, run.stderr
    document: dict[str, object] = run.json()
    return document


def test_a_deploy_with_a_rollout_deploys_api_gateway_triggers_and_prunes(rcloud: RolloutCloud, shop: Path) -> None:
    rcloud.per_minute = 12
    outputs = release(rcloud, shop, 1)
    actions = [e["action"] for e in rcloud.server.request_log() if not e["error"]]
    assert {"CreateService", "CreateApi", "ReleaseService", "CreateTrigger"} <= set(actions)
    triggers: list[dict[str, str]] = outputs["triggers"]  # type: ignore[assignment]
    assert sorted(t.get("type") or t["Type"] for t in triggers) == ["apigw", "timer"]
    release(rcloud, shop, 2)
    outputs = release(rcloud, shop, 3)
    assert outputs["rollout"]["phase"] == "Promoted"  # type: ignore[index]
    log = rcloud.server.request_log()
    deleted = [e["params"]["Qualifier"] for e in log if e["action"] == "DeleteFunctionVersion"]
    assert deleted == ["1"]  # keepVersions 1: version 3 serves, 2 is its rollback target, 1 goes


def test_an_explicit_traffic_overridden_by_the_rollout_is_warned_about(rcloud: RolloutCloud, shop: Path) -> None:
    release(rcloud, shop, 1)
    (shop / "src" / "index.py").write_text(HEALTHY % 2)
    run = rcloud.scf("deploy", "--target", str(shop), "--dry-run", "--inputs.traffic=0.7")
    assert run.exit_code == 0, run.stderr
    assert "warning: traffic 0.7 is overridden by the rollout: alias release gets 25% at step 1" in run.stderr


def test_with_and_without_a_rollout_the_same_project_plans_the_same_non_alias_instructions(
    rcloud: RolloutCloud, shop: Path
) -> None:
    release(rcloud, shop, 1)
    (shop / "src" / "index.py").write_text(HEALTHY % 2)  # new code, and a second API on the service
    config = shop / "serverless.yml"
    config.write_text(config.read_text() + SECOND_ENDPOINT)

    def plan_lines() -> tuple[list[str], list[str]]:
        run = rcloud.scf("deploy", "--target", str(shop), "--dry-run", "--json")
        assert run.exit_code == 0, run.stderr
        lines: list[str] = json.loads(run.stdout)["lines"]
        alias = [line for line in lines if line.startswith(("UpdateAlias", "CreateAlias"))]
        return [line for line in lines if line not in alias], alias

    with_rollout, rollout_alias = plan_lines()
    without_rollout(shop)
    plain, plain_alias = plan_lines()
    assert with_rollout == plain
    actions = [line.split(" ")[0] for line in plain]
    assert actions == ["UpdateFunctionCode", "PublishVersion", "CreateApi", "ReleaseService"]
    assert rollout_alias != plain_alias  # step 1 (25 %) against the plain deploy's 100 %


def test_the_factories_share_every_stage_but_the_alias_stage() -> None:
    walker = rollout_alias_stage(RolloutSpec(steps=(Step(0.5, 60.0), Step(1.0, 60.0))))
    deploy, rollout = create_deploy_pipeline(), create_deploy_pipeline(walker)
    assert deploy.names == rollout.names == (
        "package", "read", "plan function", "plan service role", "plan alias", "plan settings", "plan triggers",
        "plan API Gateway", "execute", "settle alias", "prune", "record", "report",
    )  # fmt: skip
    different = [a for (a, f), (_, g) in zip(deploy.stages, rollout.stages, strict=True) if f is not g]
    assert different == ["plan alias", "execute", "settle alias"]  # execute: the walker performs PutAlias
    assert create_plan_only_pipeline().names[-2:] == ("show", "preview alias")
    assert create_deletion_pipeline(dry_run=True).names == ("read", "show")
    assert create_deletion_pipeline(dry_run=False).names == ("read", "execute", "forget")
