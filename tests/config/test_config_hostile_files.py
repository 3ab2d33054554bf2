"""Files that used to crash the loader (#19 item 3): each is exit 2 naming the file, in bounded time.

Every row wrote a traceback (exit 1) or grew without bound before; now each is one clear problem
located in the file, found before any cloud call, in well under a second.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import Cloud

HEAD = b"component: scf\nname: hello\ninputs:\n  src: ./src\n"
BOMB = b"".join(
    [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"{chr(c)}: &{chr(c)} [{','.join(['*' + chr(c - 1)] * 9)}]\n".encode() for c in range(ord("b"), ord("j"))]
)

# (name, serverless.yml bytes, the problem's text (a substring))
HOSTILE = [
    ("NUL byte", HEAD + b"  description: a\x00b\n", "special characters are not allowed"),
    ("raw ESC", HEAD + b"  description: a\x1b[31mred\n", "special characters are not allowed"),
    ("escaped ESC", HEAD + b'  description: "a\\x1b[2Jb"\n', "control character U+001B"),
    ("escaped NUL", HEAD + b'  description: "a\\0b"\n', "control character U+0000"),
    ("lone surrogate", HEAD + b'  description: "\\udcff"\n', "control character U+DCFF"),
    ("deep flow nesting", HEAD + b"  tags: " + b"[" * 1000 + b"]" * 1000 + b"\n", "nested more than 64 levels"),
    ("deep mappings", HEAD + b"  tags: " + b"{a: " * 950 + b"1" + b"}" * 950 + b"\n", "nested more than 64 levels"),
    ("binary", HEAD + b"  description: !!binary aGVsbG8=\n", "YAML tag !!binary is not supported"),
    ("set", HEAD + b"  tags: !!set {a, b}\n", "YAML tag !!set is not supported"),
    ("timestamp", HEAD + b"  description: !!timestamp 2024-01-01\n", "YAML tag !!timestamp is not supported"),
    ("huge integer", HEAD + b"  memorySize: " + b"9" * 5000 + b"\n", "an integer of more than 30 digits"),
    ("alias bomb", BOMB + HEAD + b"  tags: {x: *i}\n", "aliases expand the document to more than 100,000 values"),
    ("recursive alias", HEAD + b"  layers: &l [*l]\n", "alias"),
    ("complex key", HEAD + b"  ? [a, b]\n  : c\n", "a key must be a plain value"),
    ("not UTF-8", HEAD + b"  description: caf\xe9\n", "not UTF-8 text (byte 0xe9"),
    ("too large", HEAD + b"  description: " + b"x" * (1024 * 1024) + b"\n", "larger than 1024 KiB"),
]


def write_project(tmp_path: Path, content: bytes, folder: str = "app") -> Path:
    root = tmp_path / folder
    (root / "src").mkdir(parents=True)
    (root / "src" / "index.py").write_text("def main_handler(e, c):\n    return 1\n", encoding="utf-8")
    (root / "serverless.yml").write_bytes(content)
    return root


def test_the_alias_bomb_is_small() -> None:
    assert len(BOMB) < 700  # the classic: a few hundred bytes that expand to 9**9 values


@pytest.mark.parametrize(("content", "message"), [row[1:] for row in HOSTILE], ids=[row[0] for row in HOSTILE])
def test_a_hostile_serverless_yml_is_exit_2_naming_the_file(
    cloud: Cloud, tmp_path: Path, content: bytes, message: str
) -> None:
    root = write_project(tmp_path, content)
    started = time.monotonic()
    run = cloud.scf("deploy", "--target", str(root))
    assert time.monotonic() - started < 5
    assert run.exit_code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert str(root / "serverless.yml") in run.stderr
    assert message in run.stderr
    assert cloud.server.request_log() == []


ENV_FILES = [
    ("not UTF-8", b"TOKEN=caf\xe9\n", "not UTF-8 text"),
    ("NUL", b"TOKEN=a\x00b\n", "contains a NUL character"),
    ("too large", b"A=" + b"x" * (300 * 1024) + b"\n", "the file is larger than 256 KiB"),
]


@pytest.mark.parametrize(("content", "message"), [row[1:] for row in ENV_FILES], ids=[row[0] for row in ENV_FILES])
def test_a_broken_env_file_is_exit_2_naming_it(cloud: Cloud, tmp_path: Path, content: bytes, message: str) -> None:
    root = write_project(tmp_path, HEAD + b"  description: ${env:TOKEN}\n")
    (root / ".env").write_bytes(content)
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 2, run.stderr
    assert f"{root / '.env'}: {message}" in run.stderr
    assert cloud.server.request_log() == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_env_file_is_exit_2_naming_it(cloud: Cloud, tmp_path: Path) -> None:
    root = write_project(tmp_path, HEAD)
    (root / ".env").write_text("A=1\n", encoding="utf-8")
    (root / ".env").chmod(0)
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 2, run.stderr
    assert f"{root / '.env'}: cannot read the file" in run.stderr


def test_a_sibling_instance_s_broken_file_is_named(cloud: Cloud, tmp_path: Path) -> None:
    app = write_project(tmp_path, HEAD + b"  description: ${output:base.functionName}\n")
    base = write_project(tmp_path, b"component: scf\nname: base\n" + BOMB + b"inputs: {src: ./src, tags: *i}\n", "base")
    for target in (app, tmp_path):  # this instance alone, then the whole multi-instance root
        run = cloud.scf("deploy", "--target", str(target))
        assert run.exit_code == 2, run.stderr
        assert "Traceback" not in run.stderr
        assert f"{base / 'serverless.yml'}: aliases expand the document" in run.stderr
    assert cloud.server.request_log() == []
