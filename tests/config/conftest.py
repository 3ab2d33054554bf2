"""Helpers for the configuration tests: build throw-away projects in tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

HEAD = "component: scf\nname: hello\ninputs:\n  src: ./src\n"
FIRST_INPUT_LINE = 5  # the first line of a snippet written under HEAD

MakeProject = Callable[..., Path]


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Write serverless.yml (HEAD + an indented inputs snippet, or a whole document) and return its folder."""

    def make(snippet: str = "", *, document: str | None = None, folder: str = "app") -> Path:
        root = tmp_path / folder
        (root / "src").mkdir(parents=True, exist_ok=True)
        body = document if document is not None else HEAD + textwrap.indent(textwrap.dedent(snippet), "  ")
        (root / "serverless.yml").write_text(body, encoding="utf-8")
        return root

    return make
