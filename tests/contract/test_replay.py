"""Record and replay (#14): ``scf … --record DIR`` keeps every exchange without secrets or code, and the
emulator's answers to the same requests are compared field by field (the way a user's recording from the
real cloud is checked, see docs/fidelity.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from component.emulator import DEFAULT_SECRET_KEY
from component.emulator.replay import main as replay_main
from component.emulator.replay import read_recording, replay_folder
from tests.conftest import Cloud

SECRET = "s3cret-token-value-42"
RECORDINGS = Path(__file__).parent.parent / "fixtures" / "recordings"


def _record(cloud: Cloud, project: Path, folder: Path) -> None:
    deploy = cloud.scf("deploy", "--target", str(project), "--record", str(folder), "--inputs.publish=true",
                       f"--inputs.environment.variables.API_TOKEN={SECRET}")
    assert deploy.exit_code == 0, deploy.stderr
    invoke = cloud.scf("invoke", "--target", str(project), "--qualifier", "1", "--record", str(folder))
    assert invoke.exit_code == 0, invoke.stderr


def test_a_recording_holds_every_exchange_and_no_secret_or_code(cloud: Cloud, project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "recording"
    _record(cloud, project, folder)
    exchanges = read_recording(folder)
    actions = [e["action"] for e in exchanges]
    assert {"CreateFunction", "PublishVersion", "Invoke"} <= set(actions)
    # every call (reads sent together may be recorded in another order than the emulator answered them)
    assert sorted(actions) == sorted(e["action"] for e in cloud.server.request_log())
    text = "".join(p.read_text() for p in folder.iterdir())
    assert SECRET not in text and DEFAULT_SECRET_KEY not in text
    (create,) = [e for e in exchanges if e["action"] == "CreateFunction"]
    assert create["request"]["Code"]["ZipFile"]["scrubbed"] == "zip"
    assert {v["Key"]: v["Value"]["scrubbed"] for v in create["request"]["Environment"]["Variables"]} == {
        "API_TOKEN": "value", "GREETING": "value"}
    assert all(isinstance(e["elapsedMs"], float) for e in exchanges)


def test_a_fresh_recording_replays_without_difference(cloud: Cloud, project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "recording"
    _record(cloud, project, folder)
    assert replay_folder(folder) == []


def test_a_difference_is_reported_field_by_field(cloud: Cloud, project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "recording"
    _record(cloud, project, folder)
    (path,) = [p for p in sorted(folder.iterdir()) if p.name.endswith("-PublishVersion.json")]
    exchange = json.loads(path.read_text())
    exchange["response"]["MemorySize"] = 256
    exchange["response"]["Surprise"] = "x"
    path.write_text(json.dumps(exchange))
    number = int(path.name[:4])
    assert replay_folder(folder) == [
        f"#{number} PublishVersion: Response.Surprise: missing",
        f"#{number} PublishVersion: Response.MemorySize: 256 recorded, 128 answered",
    ]


def test_committed_recordings_still_replay(tmp_path: Path) -> None:
    """Recordings kept in tests/fixtures/recordings (from the emulator, or sent by users from the cloud)."""
    folders = sorted(p for p in RECORDINGS.iterdir() if p.is_dir())
    assert folders
    for folder in folders:
        copy = shutil.copytree(folder, tmp_path / folder.name)
        assert replay_folder(copy) == [], folder.name


def test_the_replay_command_prints_each_difference_and_exits_1(cloud: Cloud, project: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "recording"
    _record(cloud, project, folder)
    assert replay_main([str(folder)]) == 0
    (path,) = [p for p in sorted(folder.iterdir()) if p.name.endswith("-PublishVersion.json")]
    exchange = json.loads(path.read_text())
    exchange["response"]["Timeout"] = 9
    path.write_text(json.dumps(exchange))
    capsys.readouterr()
    assert replay_main([str(folder)]) == 1
    out = capsys.readouterr().out
    assert out == f"#{int(path.name[:4])} PublishVersion: Response.Timeout: 9 recorded, 3 answered\n"
    assert replay_main([str(tmp_path / "missing")]) == 2
