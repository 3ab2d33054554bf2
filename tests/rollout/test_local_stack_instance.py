"""#16 item 5: with ``--local``, ``--target stack/api`` uses the stack's emulator state, not a second one."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cloud, copy_fixture


def test_an_instance_of_a_local_stack_sees_what_the_stack_deployed(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture("multi-rollout", tmp_path)
    deployed = cloud.scf("deploy", "--local", "--target", str(root))  # first versions: no steps to walk
    assert deployed.exit_code == 0, deployed.stderr
    info = cloud.scf("info", "--local", "--target", str(root / "cart"), "--json")
    assert info.exit_code == 0, info.stderr
    assert [v["version"] for v in info.json()["versions"]] == ["1"]  # the stack's version, no second copy
    invoked = cloud.scf("invoke", "--local", "--target", str(root / "cart"), "--qualifier", "release", "--json")
    assert invoked.exit_code == 0, invoked.stderr
    assert not (root / "cart" / ".serverless" / "emulator-state.json").exists()
