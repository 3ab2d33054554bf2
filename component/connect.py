"""Decide where API calls go: the real cloud, a given endpoint, or an embedded emulator.

* default: the real cloud with credentials from the environment/.env/profile; none found is an error
  (we never deploy to a local fake by surprise);
* ``--endpoint HOST:PORT`` (or ``SCF_ENDPOINT``): an emulator or compatible endpoint over http on
  loopback, signed with the emulator's key pair (``SCF_EMULATOR_SECRET_ID``/``_KEY``, else the
  documented default), never the real one unless ``SCF_ENDPOINT_CREDENTIALS=environment`` is set;
* ``--local``: start the emulator inside this process on a free loopback port, with its state kept
  under the project's ``.serverless/`` folder so successive commands see the same "cloud".

In every case the tool reaches the endpoint only through the official SDK (``component.cloud.sdk``).
The emulator is imported only here, and only to start it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from component.cloud.credentials import Credentials, require_credentials
from component.errors import UsageError

if TYPE_CHECKING:
    from component.cloud.api import Transport

LOCAL_STATE_FILE = "emulator-state.json"


@dataclass(frozen=True)
class Connection:
    credentials: Credentials
    endpoint: str | None  # None: the real cloud
    label: str
    sleep: Callable[[float], None]
    record: Path | None = None  # ``--record DIR``: every exchange written there, scrubbed

    def transport(self, region: str) -> Transport:
        from component.cloud.record import Recorder
        from component.cloud.sdk import SdkTransport

        recorder = Recorder(self.record, self.credentials.secrets()) if self.record else None
        return SdkTransport(self.credentials, region, endpoint=self.endpoint, sleep=self.sleep, recorder=recorder)


@contextlib.contextmanager
def connect(
    env: Mapping[str, str],
    *,
    local: bool,
    endpoint: str | None,
    state_dir: Path,
    sleep: Callable[[float], None],
    status_delay: float = 0.0,
    record: Path | None = None,
    notice: Callable[[str], None] | None = None,
) -> Iterator[Connection]:
    # the process environment only: a repository's .env must not redirect a deploy (SECURITY.md)
    endpoint = endpoint or os.environ.get("SCF_ENDPOINT") or None
    if local and endpoint:
        msg = "--local and --endpoint exclude each other: --local starts its own emulator"
        raise UsageError(msg)
    if local:
        with _embedded(state_dir, status_delay, notice) as (address, creds):
            yield Connection(creds, address, f"local emulator ({state_dir / LOCAL_STATE_FILE})", sleep, record)
        return
    if endpoint:
        check_endpoint(endpoint)
        yield Connection(_endpoint_credentials(env), endpoint, f"endpoint {endpoint}", sleep, record)
        return
    creds = require_credentials(env)
    yield Connection(creds, None, "Tencent Cloud", sleep, record)


def check_endpoint(endpoint: str) -> None:
    host, _, port = endpoint.rpartition(":")
    if "://" in endpoint or not host or not port.isdigit():
        msg = f"--endpoint must be HOST:PORT without a scheme (got {endpoint!r}), e.g. 127.0.0.1:9000"
        raise UsageError(msg)
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            msg = f"--endpoint speaks plain http, so it must be on loopback (got host {host!r})"
            raise UsageError(msg)


#: Set to ``environment`` (in the process environment, not a project's ``.env``) to sign ``--endpoint``
#: requests with the cloud credentials found as for the real cloud.
ENDPOINT_CREDENTIALS = "SCF_ENDPOINT_CREDENTIALS"


def _endpoint_credentials(env: Mapping[str, str]) -> Credentials:
    """The emulator's key pair unless told otherwise: whatever listens on that port must never receive a
    signature made with the real key, nor the session token (SECURITY.md)."""
    if os.environ.get(ENDPOINT_CREDENTIALS) == "environment":
        return require_credentials(env)
    return _emulator_credentials()


def _emulator_credentials() -> Credentials:
    from component.emulator.keys import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY  # imports nothing else (#17)

    secret_id = os.environ.get("SCF_EMULATOR_SECRET_ID") or DEFAULT_SECRET_ID
    secret_key = os.environ.get("SCF_EMULATOR_SECRET_KEY") or DEFAULT_SECRET_KEY
    return Credentials(secret_id, secret_key, source="emulator key pair")


@contextlib.contextmanager
def _embedded(
    state_dir: Path, status_delay: float, notice: Callable[[str], None] | None
) -> Iterator[tuple[str, Credentials]]:
    from component.emulator import EmulatorConfig, EmulatorServer

    _check_writable(state_dir)
    config = EmulatorConfig(state_file=state_dir / LOCAL_STATE_FILE, status_delay=status_delay)
    with _state_lock(state_dir / f"{LOCAL_STATE_FILE}.lock", notice), EmulatorServer(config) as server:
        yield server.endpoint, Credentials(config.secret_id, config.secret_key, source="local emulator")


@contextlib.contextmanager
def _state_lock(path: Path, notice: Callable[[str], None] | None) -> Iterator[None]:
    """One embedded emulator per state file at a time, for its whole life (#19 item 9).

    Each ``--local`` command loads the state, changes it and saves all of it: two at once would each
    save their own view and lose the other's functions. The second one waits for the first to end
    (an advisory ``flock``, released by the kernel even when the holder is killed).
    """
    try:
        import fcntl
    except ImportError:  # no flock (Windows): parallel --local commands are not supported there
        yield
        return
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notice is not None:
                notice(f"waiting for another --local command using {path.parent} to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check_writable(state_dir: Path) -> None:
    """``--local`` keeps its state under the project: refuse before any call if that cannot be written."""
    probe = state_dir / f".write-check.{os.getpid()}"
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        msg = (
            f"--local keeps the emulator's state in {state_dir}, which cannot be written "
            f"({exc.strerror or type(exc).__name__}); fix the folder, or run `scf emulator --state FILE` "
            "elsewhere and use --endpoint"
        )
        raise UsageError(msg) from None
