"""``scf emulator``: run the emulator as a process.

Prints ``HOST:PORT`` on its first line (flushed) once it accepts connections, then
serves until SIGINT or SIGTERM.  The key pair defaults to ``DEFAULT_SECRET_ID`` /
``DEFAULT_SECRET_KEY``; the environment variables ``SCF_EMULATOR_SECRET_ID`` and
``SCF_EMULATOR_SECRET_KEY`` override the defaults and the flags override both.  A non-loopback
``--host`` is refused with the default keys; a busy port, an address this machine does not have or a
port out of range end with a one-line error and exit 2.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from .core.config import EmulatorConfig, Limits
from .core.guard import UnsafeBind
from .emulator import EmulatorServer
from .keys import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port (0-65535; 0 picks a free one)")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scf emulator", description="Local Tencent Cloud SCF + Monitor API fake")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (loopback by default; any other needs your own key pair)")
    parser.add_argument("--port", type=_port, default=0, help="0 picks a free port")
    parser.add_argument("--state", type=Path, default=None, help="JSON state file kept across restarts")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added latency per API call")
    parser.add_argument("--seed", type=int, default=None, help="seed of the routing random source")
    parser.add_argument("--secret-id", default=None, help=f"accepted SecretId (default {DEFAULT_SECRET_ID})")
    parser.add_argument("--secret-key", default=None, help="accepted SecretKey")
    parser.add_argument("--status-delay", type=float, default=0.0, help="seconds in Creating/Updating/Publishing")
    parser.add_argument("--cos-dir", type=Path, default=None, help="folder resolving COS code as <bucket>/<object>")
    parser.add_argument("--max-functions", type=int, default=Limits.functions_per_namespace)
    parser.add_argument("--max-versions", type=int, default=Limits.versions_per_function)
    parser.add_argument("--max-aliases", type=int, default=Limits.aliases_per_function)
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    secret_id = args.secret_id or os.environ.get("SCF_EMULATOR_SECRET_ID") or DEFAULT_SECRET_ID
    secret_key = args.secret_key or os.environ.get("SCF_EMULATOR_SECRET_KEY") or DEFAULT_SECRET_KEY
    limits = Limits(versions_per_function=args.max_versions, aliases_per_function=args.max_aliases,
                    functions_per_namespace=args.max_functions)
    return EmulatorConfig(host=args.host, port=args.port, state_file=args.state, latency_ms=args.latency_ms,
                          seed=args.seed, secret_id=secret_id, secret_key=secret_key,
                          status_delay=args.status_delay, cos_dir=args.cos_dir, limits=limits)


def _start(server: EmulatorServer, config: EmulatorConfig) -> str | None:
    """Bind and serve; None (after printing why) when the address cannot or may not be used."""
    try:
        return server.start()
    except UnsafeBind as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
    except OSError as exc:
        why = exc.strerror or str(exc)
        print(f"error: cannot listen on {config.host}:{config.port}: {why}", file=sys.stderr, flush=True)
    return None


def run_emulator_cli(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = config_from_args(args)
    server = EmulatorServer(config)
    endpoint = _start(server, config)
    if endpoint is None:
        server.backend.close()  # nothing served: the state file is left as it was
        return 2
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
    print(endpoint, flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        server.stop()
    print("scf emulator stopped", file=sys.stderr, flush=True)
    return 0
