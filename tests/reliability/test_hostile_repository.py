"""A hostile repository: what it writes in serverless.yml, .env or its tree cannot reach the machine.

Each row is a repository (serverless.yml inputs, extra files, the deployer's own environment) and one
command, with the exact outcome: the exit code, a fragment of the message, and whether any call
reached the cloud. The threat model is in SECURITY.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.reliability.conftest import HEAD, look, make_project, run_exact

FUNCTION = "app-dev-app"
REAL_ID = "AKIDrealCLOUDkey000000000000000000000"
REAL_KEY = "real-cloud-secret-key-never-sent"
REAL_TOKEN = "real-session-token-never-sent"


def outside_folder(root: Path) -> None:
    outside = root.parent / "home" / ".ssh"
    outside.mkdir(parents=True)
    (outside / "id_rsa").write_text("PRIVATE KEY\n")


def src_link_outside(root: Path) -> None:
    outside_folder(root)
    (root / "code").symlink_to(root.parent / "home", target_is_directory=True)


def env_file(text: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        outside_folder(root)
        (root / ".env").write_text(text)

    return write


@dataclass(frozen=True)
class Repo:
    document: str  # the whole serverless.yml ({outside} is the folder outside the project)
    setup: Callable[[Path], None] = outside_folder
    environ: dict[str, str] = field(default_factory=dict)  # the deployer's own environment
    exit_code: int = 2
    message: str = ""
    calls: bool = False  # did anything reach the cloud


def doc(src: str) -> str:
    return f"component: scf\nname: app\nstage: dev\ninputs:\n  src: {src}\n"


OUTSIDE = "is outside the project"
CASES = {
    "src: ../..": Repo(doc("../.."), message=f"inputs.src: {{grandparent}} {OUTSIDE} {{root}}: "),
    "src: ../home": Repo(doc("../home"), message=OUTSIDE),
    "an absolute src": Repo(doc("{outside}"), message=OUTSIDE),
    "a src symlink leaving the project": Repo(doc("./code"), src_link_outside, message=OUTSIDE),
    "src.src outside under a mapping": Repo(doc("{{src: ../home, exclude: [x]}}"), message="inputs.src: "),
    "dist outside the project": Repo(doc("{{src: ./src, hook: 'true', dist: ../home}}"),
                                     message=f"inputs.src.dist: {{parent}}/home {OUTSIDE}"),
    "allowed by the deployer's environment": Repo(doc("../home"), environ={"SCF_ALLOW_SRC_OUTSIDE": "1"},
                                                  exit_code=0, calls=True),
    "allowed by the repository's .env: no": Repo(doc("../home"), env_file("SCF_ALLOW_SRC_OUTSIDE=1\n"),
                                                 message=OUTSIDE),
    "src inside the project through a link": Repo(doc("./code"), lambda r: (r / "code").symlink_to(
        r / "src", target_is_directory=True), exit_code=0, calls=True),
    "a failing build hook": Repo(doc("{{src: ./src, hook: 'echo building; exit 7', dist: ./src}}"),
                                 message="inputs.src.hook `echo building; exit 7` failed with exit code 7"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_repository_cannot_reach_the_build_machine(
    case: str, cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = CASES[case]
    root = tmp_path / "app"
    outside = tmp_path / "home"
    make_project(root, document=repo.document.format(outside=outside))
    repo.setup(root)
    for name, value in repo.environ.items():
        monkeypatch.setenv(name, value)
    run = run_exact(cloud, "deploy", "--target", str(root), "--endpoint", cloud.endpoint)
    assert run.exit_code == repo.exit_code, run.stderr
    assert "Traceback" not in run.stderr
    assert repo.message.format(root=root, parent=tmp_path, grandparent=tmp_path.parent) in run.stderr
    assert bool(cloud.calls()) is repo.calls


def test_a_build_hook_runs_in_src_without_the_cloud_keys_and_dist_is_deployed(
    cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENCENT_SECRET_ID", REAL_ID)
    monkeypatch.setenv("TENCENT_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("BUILD_FLAVOUR", "dist-build")
    hook = ("mkdir -p ../dist && env > ../hook-env.txt && "
            "printf 'def main_handler(e, c):\\n    return \"%s\"\\n' \"$BUILD_FLAVOUR\" > ../dist/index.py")
    block = f"  src:\n    src: ./src\n    dist: ./dist\n    hook: {json.dumps(hook)}\n  runtime: Python3.9\n"
    document = HEAD.replace("  src: ./src\n", block)
    root = make_project(tmp_path / "app", document=document)
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 0, run.stderr
    assert f"running inputs.src.hook in {root}/src: mkdir -p ../dist" in run.stderr
    hook_env = (root / "hook-env.txt").read_text()
    assert "BUILD_FLAVOUR=dist-build" in hook_env
    assert REAL_ID not in hook_env and REAL_KEY not in hook_env
    invoked = cloud.scf("invoke", "--target", str(root), "--json")
    assert invoked.exit_code == 0, invoked.stderr
    assert invoked.json()["result"] == "dist-build"  # the built dist ran, not src


def test_a_hook_without_dist_is_ignored_with_a_warning(cloud: Cloud, tmp_path: Path) -> None:
    document = HEAD.replace("  src: ./src\n", "  src: {src: ./src, hook: 'touch ../ran'}\n")
    root = make_project(tmp_path / "app", document=document)
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 0, run.stderr
    assert "warning: inputs.src.hook is ignored without inputs.src.dist" in run.stderr
    assert not (root / "ran").exists()


# --- other commands ---------------------------------------------------------------------------


def test_endpoint_is_signed_with_the_emulator_keys_not_the_real_ones(
    cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENCENT_SECRET_ID", REAL_ID)
    monkeypatch.setenv("TENCENT_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("TENCENT_TOKEN", REAL_TOKEN)
    root = make_project(tmp_path / "app")
    (root / ".env").write_text("SCF_ENDPOINT_CREDENTIALS=environment\n")  # a repository cannot opt in
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 0, run.stderr
    logged = repr(cloud.server.request_log())
    assert REAL_ID not in logged and REAL_TOKEN not in logged


def test_endpoint_uses_the_real_keys_only_when_the_deployer_says_so(
    cloud: Cloud, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENCENT_SECRET_ID", REAL_ID)
    monkeypatch.setenv("TENCENT_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("SCF_ENDPOINT_CREDENTIALS", "environment")
    run = cloud.scf("info", "--target", str(make_project(tmp_path / "app")))
    assert run.exit_code == 3 and "AuthFailure.SecretIdNotFound" in run.stderr  # the emulator knows no such key


EVENT_CASES = {
    "@/dev/zero": ("@/dev/zero", "/dev/zero is larger than 6291456 bytes, the limit of a synchronous Invoke event"),
    "a missing file": ("@/nonexistent/event.json", "cannot read /nonexistent/event.json"),
}


@pytest.mark.parametrize("case", list(EVENT_CASES))
def test_invoke_event_files_are_read_within_the_invoke_limit(case: str, cloud: Cloud, tmp_path: Path) -> None:
    event, message = EVENT_CASES[case]
    root = make_project(tmp_path / "app")
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    run = cloud.scf("invoke", "--target", str(root), "--event", event)
    assert run.exit_code == 2, run.stderr
    assert message in run.stderr


PROMOTE_CASES = {
    "an alias that does not exist (a typo)": (("--alias", "relase"), "--alias: alias relase does not exist on"),
    "a named alias onto $LATEST": (("--alias", "release", "--to", "$LATEST"),
                                   "a named alias (release) must serve a published version, not the mutable $LATEST"),
}


@pytest.mark.parametrize("case", list(PROMOTE_CASES))
def test_promote_never_creates_an_alias_nor_puts_one_on_latest(case: str, cloud: Cloud, tmp_path: Path) -> None:
    argv, message = PROMOTE_CASES[case]
    root = make_project(tmp_path / "app", "aliasName: release\n")
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    before = look(cloud.endpoint, FUNCTION).aliases
    run = cloud.scf("promote", "--target", str(root), *argv)
    assert run.exit_code == 2, run.stderr
    assert message in run.stderr
    assert look(cloud.endpoint, FUNCTION).aliases == before


def test_os_environ_is_left_as_it_was() -> None:
    assert "SCF_ALLOW_SRC_OUTSIDE" not in os.environ


@pytest.mark.parametrize(("src", "exit_code"), [("../shared", 0), ("../../home", 2)])
def test_instances_of_one_project_may_share_code_but_not_leave_the_project(
    src: str, exit_code: int, cloud: Cloud, tmp_path: Path
) -> None:
    stack = tmp_path / "stack"
    outside_folder(stack)
    (stack / "shared").mkdir(parents=True)
    (stack / "shared" / "index.py").write_text("def main_handler(e, c):\n    return 1\n")
    for name in ("api", "worker"):
        (stack / name).mkdir()
        (stack / name / "serverless.yml").write_text(f"component: scf\nname: {name}\ninputs:\n  src: {src}\n")
    run = run_exact(cloud, "deploy", "--target", str(stack / "api"), "--endpoint", cloud.endpoint)
    assert run.exit_code == exit_code, run.stderr
    if exit_code:
        assert f"inputs.src: {tmp_path}/home is outside the project {stack}: " in run.stderr


def test_a_repositorys_env_file_cannot_redirect_the_deploy(cloud: Cloud, tmp_path: Path) -> None:
    root = make_project(tmp_path / "app")
    (root / ".env").write_text(f"SCF_ENDPOINT={cloud.endpoint}\n")
    run = run_exact(cloud, "deploy", "--target", str(root))  # no --endpoint: the real cloud, which needs keys
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("error: no Tencent Cloud credentials found")
    assert cloud.calls() == []
