"""Real-world serverless.yml shapes deploy unchanged (#13): deploy, redeploy with no write, remove.

``tests/compat/projects`` holds our own fixtures, each written from the facts of a public
``serverless.yml`` written for the Node ``tencent-scf`` component (the first line of each names the
repository and path where the shape was seen): empty top-level values, console exports, keys the
Node component ignores, web functions, async functions with long timeouts, every trigger kind real
files use. Each runs against the embedded emulator (``--local``), through the official SDK, exactly
as a user would run it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Cloud

PROJECTS = Path(__file__).parent / "projects"
CORPUS = sorted(p.name for p in PROJECTS.iterdir() if p.is_dir())


def test_the_corpus_has_at_least_25_shapes_each_naming_its_public_source() -> None:
    assert len(CORPUS) >= 25
    for name in CORPUS:
        [config] = [p for p in (PROJECTS / name).iterdir() if p.name.startswith("serverless.")]
        first = config.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Own fixture. Shape seen in the public file "), name


@pytest.mark.parametrize("name", CORPUS)
def test_a_real_world_shape_deploys_unchanged_redeploys_without_writes_and_is_removed(
    cloud: Cloud, tmp_path: Path, name: str
) -> None:
    project = tmp_path / name
    shutil.copytree(PROJECTS / name, project, ignore=shutil.ignore_patterns(".serverless"))
    deployed = cloud.scf("deploy", "--local", "--target", str(project))
    assert deployed.exit_code == 0, deployed.stderr
    assert "Traceback" not in deployed.stderr
    plan = cloud.scf("deploy", "--local", "--target", str(project), "--dry-run", "--json")
    assert plan.exit_code == 0, plan.stderr
    assert json.loads(plan.stdout)["writes"] == 0, plan.stdout
    again = cloud.scf("deploy", "--local", "--target", str(project))
    assert again.exit_code == 0, again.stderr
    removed = cloud.scf("remove", "--local", "--target", str(project))
    assert removed.exit_code == 0, removed.stderr


# Shapes of public files that the cloud itself would refuse: exit 2 before any call, with the reason.
# (where the shape was seen, the inputs, the message)
REFUSED = [
    (
        "tencentyun/serverless-demo Nodejs12.16-COSZipFile/serverless.yml",
        "  runtime: Nodejs12.16\n  timeout: 86400\n",
        "inputs.timeout: must be at most 900 unless asyncRunEnable is true",
    ),
    (
        "tencentyun/serverless-demo Nodejs12.16-EdgeOneAPKDynamicPackaging/serverless.yml",
        "  runtime: Nodejs12.16\n  timeout: 1800\n  msgTTL: 21600\n  retryNum: 2\n",
        "inputs.timeout: must be at most 900 unless asyncRunEnable is true",
    ),
    (
        "serverless-components/tencent-examples Map_Reduce_Demo/fun_map/serverless.yml",
        "  environment:\n    variables:\n      Bucket: ${output:${stage}:${app}:middlestagebucket.bucket}\n",
        "${output:dev:refused:middlestagebucket.bucket}: no instance named 'middlestagebucket'",
    ),
    (
        "serverless-components/tencent-examples get-cos-object/scf/serverless.yml",
        "  events:\n    - cos:\n        name: ${output:${stage}:${app}:cos-bucket.cosOrigin}\n"
        "        parameters:\n          bucket: ${output:${stage}:${app}:cos-bucket.cosOrigin}\n"
        "          events: 'cos:ObjectCreated:*'\n",
        "no instance named 'cos-bucket'",
    ),
]


@pytest.mark.parametrize(("seen", "inputs", "message"), REFUSED, ids=[r[0].split()[1] for r in REFUSED])
def test_shapes_the_cloud_refuses_stop_before_any_call(
    cloud: Cloud, tmp_path: Path, seen: str, inputs: str, message: str
) -> None:
    project = tmp_path / "refused"
    (project / "src").mkdir(parents=True)
    (project / "src" / "index.js").write_text("exports.main_handler = async () => 1;\n", encoding="utf-8")
    head = f"# shape seen in {seen}\ncomponent: scf\nname: refused\ninputs:\n  src: ./src\n"
    (project / "serverless.yml").write_text(head + inputs, encoding="utf-8")
    run = cloud.scf("deploy", "--target", str(project))
    assert run.exit_code == 2, run.stderr
    assert message in run.stderr
    assert cloud.server.request_log() == []
