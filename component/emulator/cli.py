"""``scf emulator``: run the emulator as a process.

Prints ``HOST:PORT`` on its first line (flushed) once it accepts connections, then
serves until SIGINT or SIGTERM.  The key pair defaults to ``DEFAULT_SECRET_ID`` /
``DEFAULT_SECRET_KEY``; the environment variables ``SCF_EMULATOR_SECRET_ID`` and
``SCF_EMULATOR_SECRET_KEY`` override the defaults and the flags override both.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from .config import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, Limits
from .emulator import EmulatorServer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scf emulator", description="Local Tencent Cloud SCF + Monitor API fake")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
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


def run_emulator_cli(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    server = EmulatorServer(config_from_args(args))
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
    endpoint = server.start()
    print(endpoint, flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        server.stop()
    print("scf emulator stopped", file=sys.stderr, flush=True)
    return 0
