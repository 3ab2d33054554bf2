"""Locate the data folders ``schemas/`` and ``templates/``.

In a wheel they live inside the package (``component/_data/``, put there by the build backend); in a
source checkout or an editable install they are the top-level folders of the repository. Looking in
both places keeps one copy of each file in the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``schemas`` or ``templates`` wherever this installation keeps it."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    msg = f"installation is incomplete: folder {name!r} not found next to {_PACKAGE_DIR}"
    raise FileNotFoundError(msg)


def user_cache_dir() -> Path:
    """This user's cache folder for the tool (``$XDG_CACHE_HOME/scf-component``, else ``~/.cache/…``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scf-component"
