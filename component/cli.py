"""The ``scf`` command line: parse, call a command, decide how errors look, exit.

Only this module decides presentation of errors: a :class:`~component.errors.ScfError` is one clean
line on stderr (several lines for a list of configuration problems) and its own exit code; anything
else is a bug and gets a traceback with a request to report it. Heavy modules (the Tencent SDK,
jsonschema, jinja2) are imported inside the commands so that ``scf --version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from component import __version__, process
from component.errors import ScfError, UsageError
from component.render import Reporter

if TYPE_CHECKING:
    from component.tools import Tools

EXIT_CODES = """exit codes:
  0    success
  1    unexpected internal error (a bug; a traceback is printed)
  2    bad input: serverless.yml, command line, missing credentials, code package too large
  3    the cloud refused or failed: API error, failed function state, wait timed out
  4    the deployed code failed: rollout rolled back, invoked function raised
  5    done in the cloud, but a local file (outputs, step summary) could not be written
  6    rollout paused part-way (too little traffic, or autoRollback off): scf resume | promote --full | abort
  130  interrupted
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stage", "-s", help="stage (overrides serverless.yml `stage`, default dev)")
    parser.add_argument("--app", help="app name (overrides serverless.yml `app`)")
    parser.add_argument("--org", help="org name (overrides serverless.yml `org`)")
    parser.add_argument("--target", default=".", metavar="DIR", help="folder holding serverless.yml (default: .)")
    parser.add_argument("--local", action="store_true", help="run against an embedded emulator (no account needed)")
    parser.add_argument("--endpoint", metavar="HOST:PORT", help="API endpoint on loopback, e.g. a running emulator")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    parser.add_argument("--json", action="store_true", help="JSON result on stdout, NDJSON events on stderr")
    parser.add_argument("--record", type=Path, metavar="DIR",
                        help="write every API exchange to DIR, secrets and code scrubbed (see docs/fidelity.md)")
    parser.add_argument(
        "--parallel", type=int, metavar="N",
        help="instances at once when DIR holds several (default: as many as the API's calls per second per action)",
    )


def _count(text: str) -> int:
    """A whole number >= 0 (``prune --keep -1`` meant nothing and was accepted)."""
    try:
        value = int(text)
    except ValueError:
        msg = f"invalid int value: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if value < 0:
        msg = f"expected a whole number >= 0, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


DRY_RUN_HELP = "print the plan and change nothing"


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """``scf``'s parser; with ``only`` (a command's name) that command's subparser alone is built.

    Building every subparser costs several milliseconds of each command's start (#17); ``scf --help``,
    an unknown command and ``scf completion`` need them all (``only`` None or unknown).
    """
    parser = _Parser(
        prog="scf",
        description="Deploy Tencent Cloud SCF functions from serverless.yml, with safe traffic shifting.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"scf-component {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    from component.toolbox.cli import handled_names, register

    if only in _SUBCOMMANDS:
        _SUBCOMMANDS[only](sub)
    elif only is not None and only in handled_names():
        register(sub, _common, only=only)
    else:
        for add in _SUBCOMMANDS.values():
            add(sub)
        register(sub, _common)
        sub.add_parser("emulator", help="run the local emulator of the Tencent Cloud API", add_help=False)
    return parser


def _deploy(sub: Any) -> None:
    deploy = sub.add_parser(
        "deploy",
        help="package, create/update, publish and shift alias traffic",
        description="Deploy the function. Inputs can be overridden with --inputs.KEY=VALUE or --inputs KEY=VALUE ...",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(deploy)
    deploy.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)


def _info(sub: Any) -> None:
    _common(sub.add_parser("info", help="show the function, its versions and each alias's routing"))


def _remove(sub: Any) -> None:
    remove = sub.add_parser("remove", help="delete the function and the API Gateway APIs it created")
    _common(remove)
    remove.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)


def _invoke(sub: Any) -> None:
    invoke = sub.add_parser("invoke", help="invoke the function and show which version served")
    _common(invoke)
    invoke.add_argument("--qualifier", "-q", help="alias or version (default: $DEFAULT)")
    invoke.add_argument("--event", "-e", default="{}", help="event JSON, or @file")
    invoke.add_argument("--routing-key", help='routing key JSON for rule-based aliases, e.g. \'{"User":"Bob"}\'')


def _rollback(sub: Any) -> None:
    rollback = sub.add_parser("rollback", help="send all of an alias's traffic back to its last good version")
    _common(rollback)
    rollback.add_argument("--alias", help="alias to roll back (default: inputs.aliasName)")
    rollback.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)


def _promote(sub: Any) -> None:
    promote = sub.add_parser("promote", help="move all of an alias's traffic to one version")
    _common(promote)
    promote.add_argument("--alias", help="alias to promote (default: inputs.aliasName)")
    promote.add_argument("--to", metavar="N", help="version (default: the alias's candidate, else the newest)")
    promote.add_argument("--from", dest="source", metavar="ALIAS", help="promote the candidate of another alias")
    promote.add_argument("--full", action="store_true", help="fast-forward the alias's rollout to 100%% now")
    promote.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)


def _prune(sub: Any) -> None:
    prune = sub.add_parser("prune", help="delete old versions that no alias uses")
    _common(prune)
    prune.add_argument("--keep", type=_count, help="newest versions to keep (default: inputs.keepVersions or 5)")
    prune.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)


def _status(sub: Any) -> None:
    status = sub.add_parser("status", help="show the alias's rollout: phase, step, weights, per-version figures")
    _common(status)
    status.add_argument("--alias", help="alias (default: inputs.aliasName)")
    status.add_argument("--watch", action="store_true", help="follow until the rollout ends (exit 4 if rolled back)")


def _abort(sub: Any) -> None:
    abort = sub.add_parser("abort", help="stop the alias's rollout and send all traffic back to the stable version")
    _common(abort)
    abort.add_argument("--alias", help="alias (default: inputs.aliasName)")
    abort.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)


def _resume(sub: Any) -> None:
    resume = sub.add_parser("resume", help="continue a paused or interrupted rollout from its recorded step")
    _common(resume)
    resume.add_argument("--alias", help="alias (default: inputs.aliasName)")


_SUBCOMMANDS: dict[str, Callable[[Any], None]] = {
    "deploy": _deploy,
    "info": _info,
    "remove": _remove,
    "invoke": _invoke,
    "rollback": _rollback,
    "promote": _promote,
    "prune": _prune,
    "status": _status,
    "abort": _abort,
    "resume": _resume,
}


def main(argv: Sequence[str] | None = None, tools: Tools | None = None) -> int:
    """Run ``scf`` with ``argv``; ``tools`` (reporter, clock, sleep) is injectable for tests.

    Without ``argv`` this is the ``scf`` process itself: it tunes the garbage collector for a short
    command (:mod:`component.process`).
    """
    if argv is not None:
        return _main(list(argv), tools)
    process.start()
    try:
        return _main(sys.argv[1:], tools)
    finally:
        process.finish()


def _main(args_list: list[str], tools: Tools | None) -> int:
    debug = "--debug" in args_list
    json_mode = "--json" in args_list
    reporter = tools.reporter if tools else Reporter(json_mode=json_mode)  # learns the secrets once known
    masker = reporter.masker
    summary_before = _summary_size()
    try:
        return _run(args_list, tools, reporter)
    except ScfError as exc:
        if debug:
            sys.stderr.write(masker.mask(_format_exc()))
        _print_error(reporter, masker.mask(str(exc)), exc.exit_code, json_mode)
        if summary_before is not None and _summary_size() == summary_before:  # the command wrote none
            _failure_summary(args_list, masker.mask(str(exc)), exc.exit_code)
        return exc.exit_code
    except KeyboardInterrupt:
        reporter.err.write("interrupted\n")
        return 130
    except Exception:
        sys.stderr.write(masker.mask(_format_exc()))
        sys.stderr.write(
            f"scf-component {__version__}: this is a bug, not something you did wrong; "
            "please report it with the traceback above\n"
        )
        return 1


def _summary_size() -> int | None:
    """The size of ``GITHUB_STEP_SUMMARY`` (process environment only), None when unset or unreadable."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    try:
        return os.stat(target).st_size
    except OSError:
        return 0


def _failure_summary(argv: list[str], message: str, code: int) -> None:
    """A failed command that wrote no step summary still leaves one: what failed, and why."""
    command = next((a for a in argv if not a.startswith("-")), "scf")
    text = f"### scf {command}: failed (exit {code})\n\n> {message}\n\n"
    with contextlib.suppress(OSError), open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
        handle.write(text)


def _format_exc() -> str:
    import traceback  # lazy: it loads linecache/tokenize, which `scf --version` and `--help` do not need (#17)

    return traceback.format_exc()


def _print_error(reporter: Reporter, message: str, code: int, json_mode: bool) -> None:
    """The error on stderr; with --json also as the one document on stdout when the command wrote none."""
    if json_mode:
        reporter.err.write(json.dumps({"event": "error", "exit_code": code, "message": message}) + "\n")
        if not reporter.documents:
            reporter.write(json.dumps({"error": message, "exit_code": code}, indent=2))
    else:
        reporter.err.write(f"error: {message}\n")


def _run(argv: list[str], tools: Tools | None, reporter: Reporter) -> int:
    if argv and argv[0] == "emulator":
        from component.emulator import run_emulator_cli

        process.settle()  # a server: collect cyclic garbage as usual
        return run_emulator_cli(argv[1:])
    rest, overrides = _split_overrides(argv)
    parser = build_parser(only=_command_word(rest))
    args = parser.parse_args(rest)
    if args.command is None:
        parser.print_help()
        return 2
    from component.toolbox import cli as toolbox

    if toolbox.handles(args.command, overrides):
        return toolbox.run(args, overrides, tools, parser)
    from component import commands

    return commands.run(args, overrides, tools, reporter)


def _command_word(argv: list[str]) -> str | None:
    """The command ``argv`` names when it comes first; None when ``scf``'s own options come first (``scf
    --help deploy`` lists every command) and for ``completion``, which describes every command."""
    word = argv[0] if argv and not argv[0].startswith("-") else None
    return None if word == "completion" else word


def _split_overrides(argv: list[str]) -> tuple[list[str], dict[str, object]]:
    if not any(token.startswith("--inputs") for token in argv):
        return argv, {}
    from component.config.overrides import extract_input_overrides

    return extract_input_overrides(argv)
