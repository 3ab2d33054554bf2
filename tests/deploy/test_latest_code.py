"""When the snapshot proves what ``$LATEST`` holds without ``GetFunctionAddress`` (#17): a table."""

from __future__ import annotations

from typing import Any

import pytest

from component.cloud.api import VersionInfo
from component.deploy.latest_code import SIZE_IS_ZIP, may_prove, proven_changed, proven_sha256
from component.deploy.markers import version_marker

FP, SHA, SIZE = "0123456789abcdef", "a" * 64, 169
PUBLISHED = "2026-12-01 10:00:05"


def latest(**over: Any) -> dict[str, Any]:
    return {"Status": "Active", "ModTime": "2026-12-01 10:00:04", "CodeSize": SIZE, **over}


def version(number: str = "2", fp: str = FP, status: str = "Active", added: str = PUBLISHED) -> VersionInfo:
    return VersionInfo(number, f"Published {version_marker(fp)}", status, added)


@pytest.mark.parametrize(
    ("body", "versions", "proven"),
    [
        (latest(), [version("1", "f" * 16), version()], True),
        (latest(ModTime=PUBLISHED), [version()], False),  # the same second: a later write would tie too
        (latest(ModTime="2026-12-01 10:00:06"), [version()], False),  # $LATEST written after the publication
        (latest(CodeSize=SIZE + 1), [version()], False),  # another size
        (latest(), [version(fp="f" * 16)], False),  # the newest version is another snapshot
        (latest(), [version(), version("3", "f" * 16)], False),  # ours is not the newest
        (latest(), [version(status="Publishing")], False),
        (latest(), [version(status="PublishFailed")], False),
        (latest(), [], False),  # nothing published
        (latest(Status="Updating"), [version()], False),
        (latest(ModTime="2026-12-01T10:00:04Z"), [version()], False),  # an unfamiliar time format
        (latest(), [version(added="")], False),
        (latest(CodeSize=None), [version()], False),
    ],
)
def test_unchanged_is_proven_only_by_fingerprint_time_and_size(
    body: dict[str, Any], versions: list[VersionInfo], proven: bool
) -> None:
    assert proven_sha256(body, versions, FP, SHA, SIZE) == (SHA if proven else None)


@pytest.mark.parametrize(
    ("code_size", "facts", "changed"),
    [
        (SIZE + 1, {SIZE_IS_ZIP: True}, True),
        (SIZE, {SIZE_IS_ZIP: True}, False),
        (SIZE + 1, {SIZE_IS_ZIP: False}, False),  # this cloud's CodeSize is something else
        (SIZE + 1, {}, False),  # nothing learned yet
        (None, {SIZE_IS_ZIP: True}, False),
    ],
)
def test_changed_is_proven_by_size_only_where_sizes_are_zip_sizes(
    code_size: int | None, facts: dict[str, bool], changed: bool
) -> None:
    assert proven_changed(latest(CodeSize=code_size), SIZE, facts) is changed


@pytest.mark.parametrize(
    ("body", "possible"), [(latest(), True), (latest(CodeSize=1), False), (latest(Status="Updating"), False)]
)
def test_a_proof_is_looked_for_only_when_the_sizes_agree(body: dict[str, Any], possible: bool) -> None:
    assert may_prove(body, SIZE) is possible
