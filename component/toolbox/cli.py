"""The toolbox's subcommands: added to the ``scf`` parser here, run here.

``register`` only builds argparse parsers (no SDK, no jinja2), so ``scf --help`` stays fast. The
component's actions answer under both spellings (``publish_ver`` and ``publish-ver``); ``invoke``
with ``--inputs`` is the component's ``invoke`` action, without it the usual ``scf invoke``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from component.errors import UsageError

if TYPE_CHECKING:
    from component.tools import Tools

Common = Callable[[argparse.ArgumentParser], None]

ACTION_HELP = {
    "publish_ver": "component action: publish $LATEST as a new version (--inputs function= description=)",
    "create_alias": "component action: create an alias (--inputs name= version= config='{\"weights\":{\"2\":0.5}}')",
    "update_alias": "component action: update an alias (--inputs name= version= config='{\"weights\":{…}}')",
    "list_alias": "component action: every alias with every weight (--inputs function= version=)",
    "delete_alias": "component action: delete an alias (--inputs name=)",
    "log": "component action: the last hour of logs (--inputs qualifier= reqid=)",
    "metric": "component action: one Monitor metric (--inputs metric=Invocation alias= period= interval=)",
}
ACTIONS = frozenset([*ACTION_HELP, "invoke"])
OWN = frozenset({"logs", "metrics", "init", "schema", "completion"})


def canonical(command: str) -> str:
    return command.replace("-", "_")


def handled_names() -> frozenset[str]:
    """Every spelling of the toolbox's subcommands."""
    return frozenset({*OWN, *ACTION_HELP, *(name.replace("_", "-") for name in ACTION_HELP)})


def register(sub: Any, common: Common, only: str | None = None) -> None:
    """Add the toolbox's subcommands to ``scf``'s subparsers (with ``only``, that one alone)."""
    for name, text in ACTION_HELP.items():
        dashed = name.replace("_", "-")
        if only in (None, name, dashed):
            aliases = [name] if dashed != name else []
            common(sub.add_parser(dashed, aliases=aliases, help=text, description=text))
    for own, add in _OWN_PARSERS.items():
        if only in (None, own):
            add(sub, common)


def _init(sub: Any, common: Common) -> None:
    init = sub.add_parser("init", help="start a project from a template (no argument: list them)")
    init.add_argument("template", nargs="?", help="template name")
    init.add_argument("directory", nargs="?", help="folder to create (default: the template's name)")
    init.add_argument("--force", action="store_true", help="write into a non-empty folder")
    init.add_argument("--json", action="store_true", help="JSON result on stdout")


def _completion(sub: Any, common: Common) -> None:
    completion = sub.add_parser("completion", help="print a shell completion script")
    completion.add_argument("shell", choices=["bash", "zsh"], help="shell")


def _logs(parser: argparse.ArgumentParser, common: Common) -> None:
    common(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--qualifier", "-q", help="alias or version whose logs to show")
    which.add_argument("--version", dest="version", metavar="N", help="version whose logs to show")
    parser.add_argument("--request-id", metavar="ID", help="only this invocation")
    parser.add_argument("--level", type=str.upper, choices=["DEBUG", "INFO", "WARN", "ERROR"],
                        help="only entries of this level, e.g. ERROR")
    parser.add_argument("--since", default="10m", help="how far back (30s, 10m, 1h, 2d; default 10m)")
    parser.add_argument("--follow", "-f", action="store_true", help="keep reading new entries until Ctrl-C")


def _metrics(parser: argparse.ArgumentParser, common: Common) -> None:
    common(parser)
    parser.add_argument("--alias", help="only the versions this alias routes to (default: every alias's)")
    parser.add_argument("--since", default="1h", help="window (10m, 1h, 1d; default 1h)")
    parser.add_argument("--metric", default="Invocation,Error,Duration",
                        help="comma-separated metrics (default Invocation,Error,Duration)")


def handles(command: str, overrides: Mapping[str, Any]) -> bool:
    name = canonical(command)
    return name in OWN or (name in ACTIONS and (name != "invoke" or bool(overrides)))


def _tools(json_mode: bool) -> Tools:
    from component import process
    from component.render import Reporter
    from component.tools import Tools

    return Tools(reporter=Reporter(json_mode=json_mode), sleep=process.sleep, clock=time.monotonic, wall=time.time)


def run(args: argparse.Namespace, overrides: Mapping[str, Any], tools: Tools | None,
        parser: argparse.ArgumentParser) -> int:
    name = canonical(args.command)
    json_mode = bool(getattr(args, "json", False))
    tools = tools or _tools(json_mode)
    tools.reporter.json_mode = json_mode
    if overrides and name not in ACTIONS:
        msg = f"--inputs is not accepted by {args.command} (use its own options, see scf {args.command} --help)"
        raise UsageError(msg)
    if name == "schema":
        from component.toolbox.schema import schema_text

        tools.reporter.out.write(schema_text())
        return 0
    if name == "completion":
        from component.toolbox.completion import completion_script

        tools.reporter.out.write(completion_script(parser, args.shell))
        return 0
    if name == "init":
        from component.toolbox.init import run_init

        code: int = run_init(args, tools)
        return code
    return _run_remote(name, args, overrides, tools)


def _run_remote(name: str, args: argparse.Namespace, overrides: Mapping[str, Any], tools: Tools) -> int:
    from component.toolbox.target import open_session, resolve_target

    target = resolve_target(args, overrides, action=name not in OWN)
    if name == "logs":
        from component.toolbox.observe import logs_command

        command = logs_command(args)  # arguments are checked before connecting
    elif name == "metrics":
        from component.toolbox.observe import metrics_command

        command = metrics_command(args)
    else:
        from component.toolbox.actions import ACTIONS as TABLE

        command = _action(TABLE[name], overrides)
    with open_session(args, target, tools) as session:
        tools.reporter.step(f"{args.command} {target.function} (namespace {target.namespace}) on "
                            f"{session.connection.label}")
        return command(session, tools)


def _action(action: Any, inputs: Mapping[str, Any]) -> Callable[[Any, Tools], int]:
    def command(session: Any, tools: Tools) -> int:
        outcome = action(session, inputs, tools)
        if tools.reporter.json_mode:
            tools.reporter.write(json.dumps(outcome.document, indent=2, ensure_ascii=False, default=str))
        else:
            from component.render import pretty

            tools.reporter.write(pretty(outcome.document))
        if outcome.failure is not None:
            raise outcome.failure
        return 0

    return command


def _schema(sub: Any, common: Common) -> None:
    sub.add_parser("schema", help="print the JSON Schema of serverless.yml (for editors)")


_OWN_PARSERS: dict[str, Callable[[Any, Common], None]] = {
    "logs": lambda sub, common: _logs(
        sub.add_parser("logs", help="the function's logs from CLS, one line per entry, newest last"), common
    ),
    "metrics": lambda sub, common: _metrics(
        sub.add_parser("metrics", help="per-version Monitor figures as a table with sparklines"), common
    ),
    "init": _init,
    "schema": _schema,
    "completion": _completion,
}
