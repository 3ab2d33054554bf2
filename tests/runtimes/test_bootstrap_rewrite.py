"""How a bootstrap written for SCF's image becomes one that runs here, or is refused (table)."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import pytest

from component.emulator.core.errors import ApiError
from component.emulator.scf.web import local_bootstrap

NODE = shlex.quote(shutil.which("node") or "node")
PYTHON = shlex.quote(sys.executable)
CODE = Path("/srv/code")

REWRITES = [
    # bootstrap as deployed, the script run locally (None: refused with FailedOperation.InvokeFunction)
    ("#!/bin/bash\n/var/lang/node16/bin/node app.js\n", f"#!/bin/bash\n{NODE} app.js\n"),
    ("#!/usr/bin/env bash\n/var/lang/python39/bin/python3 -u app.py\n", f"#!/usr/bin/env bash\n{PYTHON} -u app.py\n"),
    ("cd /var/user && node server.js", "cd /srv/code && node server.js"),
    ("exec gunicorn -b 0.0.0.0:9000 app:app", "exec gunicorn -b 0.0.0.0:9000 app:app"),
    ("/var/lang/php7/bin/php -S 0.0.0.0:9000 index.php", None),
    ("#!/bin/bash\n./main\n", None),
    ("# node is not started here\n./server\n", None),
]


@pytest.mark.parametrize(("deployed", "local"), REWRITES)
def test_web_bootstrap(deployed: str, local: str | None) -> None:
    if local is None:
        with pytest.raises(ApiError) as exc:
            local_bootstrap(deployed, CODE, "Nodejs18.15")
        assert exc.value.code == "FailedOperation.InvokeFunction" and "Nodejs18.15" in exc.value.message
    else:
        assert local_bootstrap(deployed, CODE, "Nodejs18.15") == local


def test_custom_runtime_bootstrap_may_start_anything_local_but_not_the_images_runtimes() -> None:
    script = "#!/bin/bash\n./main\n"
    assert local_bootstrap(script, CODE, "CustomRuntime", require_server=False) == script
    with pytest.raises(ApiError):
        local_bootstrap("/var/lang/php7/bin/php run.php", CODE, "CustomRuntime", require_server=False)
