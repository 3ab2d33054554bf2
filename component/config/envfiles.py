"""The environment ``${env:X}`` reads: ``.env`` files merged under the real environment.

The Tencent CLI looks for ``.env.<stage>`` and ``.env`` in the project folder and up to two parents,
nearest first, and the first file that defines a name wins; variables set in the real environment
win over every file (reference §8). We never write to ``os.environ``: the merged mapping is data that
the caller passes on, which keeps tests independent and secrets out of child processes we did not
mean to give them to.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from component.config.yamlfile import read_text
from component.errors import ConfigError, Problem

MAX_ENV_FILE_BYTES = 256 * 1024


def env_files(root: Path, stage: str | None) -> list[Path]:
    """Candidate files in priority order (first definition wins), whether or not they exist."""
    folders = [root, root.parent, root.parent.parent]
    names = [f".env.{stage}", ".env"] if stage else [".env"]
    return [folder / name for folder in folders for name in names]


def merged_env(root: Path, stage: str | None, environ: Mapping[str, str]) -> dict[str, str]:
    """Variables from the ``.env`` files for *stage*, overridden by *environ*."""
    merged: dict[str, str] = {}
    for file in env_files(root, stage):
        if not _is_file(file):
            continue
        for key, value in _read(file).items():
            if value is not None and key not in merged:
                merged[key] = value
    merged.update(environ)
    return merged


def _read(file: Path) -> dict[str, str | None]:
    """The variables of one ``.env`` file; ConfigError naming it when it is unreadable or not UTF-8."""
    text = read_text(file, limit=MAX_ENV_FILE_BYTES)
    if "\x00" in text:
        raise ConfigError(Problem("", "contains a NUL character: not a text file", file=str(file)))
    from dotenv import dotenv_values  # lazy: a project without .env files does not pay for it (#17 start-up)

    return dict(dotenv_values(stream=io.StringIO(text)))


def _is_file(file: Path) -> bool:
    try:
        return file.is_file()
    except OSError as exc:  # e.g. a folder on the way that cannot be searched
        raise ConfigError(Problem("", f"cannot read the file: {exc.strerror or exc}", file=str(file))) from exc
