"""Fixtures of the rollout tests: the fake-clock cloud (see :mod:`tests.rollout.cloud`) and the canary project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_fixture
from tests.rollout.cloud import RolloutCloud, open_cloud


@pytest.fixture
def rcloud() -> Iterator[RolloutCloud]:
    with open_cloud(RolloutCloud) as cloud:
        yield cloud


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return copy_fixture("rollout-canary", tmp_path)
