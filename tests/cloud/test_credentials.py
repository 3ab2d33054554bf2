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


HALF_PAIRS = {
    "id without key": ({"TENCENT_SECRET_ID": "AKIDhalf"}, "TENCENT_SECRET_ID is set but TENCENT_SECRET_KEY is not"),
    "key without id": ({"TENCENTCLOUD_SECRET_KEY": "half-secret"},
                       "TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not"),
    "blank key": ({"TENCENT_SECRET_ID": "AKIDhalf", "TENCENT_SECRET_KEY": "  "},
                  "TENCENT_SECRET_ID is set but TENCENT_SECRET_KEY is not"),
}


@pytest.mark.parametrize("case", list(HALF_PAIRS))
def test_half_a_pair_says_which_half_is_missing_without_showing_the_other(case: str, tmp_path: Path) -> None:
    env, says = HALF_PAIRS[case]
    with pytest.raises(CredentialsError) as caught:
        require_credentials(env, home=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"incomplete Tencent Cloud credentials: {says} (set both")
    assert "--local" in message
    assert not [value for value in env.values() if value.strip() and value in message]
