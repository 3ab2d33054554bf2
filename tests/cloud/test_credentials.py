"""Where credentials come from, in order, and that the secret never shows in a repr."""

from __future__ import annotations

from pathlib import Path

import pytest

from component.cloud.credentials import find_credentials, require_credentials
from component.errors import CredentialsError

CASES = [
    ({"TENCENTCLOUD_SECRET_ID": "sdk-id", "TENCENTCLOUD_SECRET_KEY": "sdk-key"}, ("sdk-id", None)),
    ({"TENCENT_SECRET_ID": "sls-id", "TENCENT_SECRET_KEY": "sls-key", "TENCENT_TOKEN": "tok"}, ("sls-id", "tok")),
    (
        {
            "TENCENTCLOUD_SECRET_ID": "sdk-id",
            "TENCENTCLOUD_SECRET_KEY": "sdk-key",
            "TENCENT_SECRET_ID": "sls-id",
            "TENCENT_SECRET_KEY": "sls-key",
        },
        ("sdk-id", None),
    ),
    ({"TENCENT_SECRET_ID": "only-id"}, None),
    ({"TENCENT_SECRET_ID": "  ", "TENCENT_SECRET_KEY": "k"}, None),
]


@pytest.mark.parametrize(("env", "expected"), CASES)
def test_environment_pairs_in_order(
    env: dict[str, str], expected: tuple[str, str | None] | None, tmp_path: Path
) -> None:
    found = find_credentials(env, home=tmp_path)
    assert (None if found is None else (found.secret_id, found.token)) == expected


def test_profile_file_is_the_fallback(tmp_path: Path) -> None:
    profile = tmp_path / ".tencentcloud" / "credentials"
    profile.parent.mkdir()
    profile.write_text("[default]\nsecret_id = file-id\nsecret_key = file-key\n")
    found = find_credentials({}, home=tmp_path)
    assert found is not None and (found.secret_id, found.secret_key) == ("file-id", "file-key")
    assert "file-key" not in repr(found)


def test_nothing_found_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match=r"set TENCENT_SECRET_ID and TENCENT_SECRET_KEY .* or run .* --local"):
        require_credentials({}, home=tmp_path)
