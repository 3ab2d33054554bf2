"""``aliasFunctionVersion`` / ``additionalVersionWeights`` (#13): the alias routed exactly as written.

As the Node toolkit 2.27.1+: ``FunctionVersion`` = ``aliasFunctionVersion`` (or the version a
``publish: true`` deploy publishes, or ``$LATEST``), ``AdditionalVersionWeights`` as given; ``traffic``
is ignored with a warning. Written only when the alias differs: an unchanged redeploy writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, redeploy_writes, writes

NAME = "hello-dev-demo"


def routing(cloud: Cloud, alias: str) -> tuple[str, dict[str, Any]]:
    body = call(cloud, "GetAlias", FunctionName=NAME, Name=alias)
    weights = {w["Version"]: w["Weight"] for w in body["RoutingConfig"]["AdditionalVersionWeights"]}
    return body["FunctionVersion"], weights


def change_code(project: Path, text: str) -> None:
    handler = project / "src" / "index.py"
    handler.write_text(handler.read_text() + f"\n# {text}\n")


def weights(*pairs: tuple[int, float]) -> str:
    return "additionalVersionWeights=[" + ",".join(f'{{"version":{v},"weight":{w}}}' for v, w in pairs) + "]"


def test_an_alias_routed_as_written_is_created_kept_and_changed(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "publish=true")
    change_code(project, "two")
    deploy(cloud, project, "--inputs", "publish=true")
    explicit = ["--inputs", "aliasName=live", 'aliasFunctionVersion="2"', weights((1, 0.3))]

    assert redeploy_writes(cloud, project, *explicit) == ["CreateAlias"]
    assert routing(cloud, "live") == ("2", {"1": 0.3})
    assert redeploy_writes(cloud, project, *explicit) == []

    assert redeploy_writes(cloud, project, *explicit[:-1], weights((1, 0.5))) == ["UpdateAlias"]
    assert routing(cloud, "live") == ("2", {"1": 0.5})


def test_publish_makes_the_new_version_the_main_one(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "publish=true")
    change_code(project, "two")
    before = len(cloud.calls())
    deploy(cloud, project, "--inputs", "publish=true", "aliasName=live", weights((1, 0.1)))
    assert writes(cloud, before) == ["UpdateFunctionCode", "PublishVersion", "CreateAlias"]
    assert routing(cloud, "live") == ("2", {"1": 0.1})


def test_without_publish_nothing_is_published_and_traffic_is_ignored_with_a_warning(
    cloud: Cloud, project: Path
) -> None:
    deploy(cloud, project, "--inputs", "publish=true")
    change_code(project, "two")
    before = len(cloud.calls())
    run = cloud.scf("deploy", "--target", str(project), "--inputs", "aliasName=live", 'aliasFunctionVersion="1"',
                    "traffic=0.2")
    assert run.exit_code == 0, run.stderr
    assert "traffic is ignored" in run.stderr
    assert writes(cloud, before) == ["UpdateFunctionCode", "CreateAlias"]
    assert routing(cloud, "live") == ("1", {})
