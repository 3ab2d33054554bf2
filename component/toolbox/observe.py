"""``scf logs`` and ``scf metrics``: arguments checked up front, then read and shown.

Logs: one line per entry (time, request id, version, level, message), newest last; ``--json`` prints
one JSON array (``--follow --json``: one JSON object per line as entries arrive). Metrics: a table of
per-version totals with a sparkline each; ``--json`` prints the figures and every bucket.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from component.errors import UsageError
from component.toolbox.durations import parse_duration

if TYPE_CHECKING:
    from component.toolbox.target import Session
    from component.tools import Tools

Command = Callable[["Session", "Tools"], int]
KNOWN_METRICS = frozenset(
    {"Invocation", "Error", "Duration", "Throttle", "Http2xx", "Http4xx", "Http432", "Http433", "Http434",
     "Syserr", "ConcurrentExecutions", "MemDuration", "OutFlow", "ConfigMem"}
)


def logs_command(args: argparse.Namespace) -> Command:
    from component.toolbox.logs import LogEntry, LogQuery, follow, search

    version = args.version
    if version is not None and not (version.isdigit() or version == "$LATEST"):
        msg = f"--version: expected a version number or $LATEST (got {version!r}); use --qualifier for an alias"
        raise UsageError(msg)
    query = LogQuery(qualifier=version or args.qualifier, request_id=args.request_id,
                     since=parse_duration(args.since), level=args.level)

    def command(session: Session, tools: Tools) -> int:
        json_mode = tools.reporter.json_mode
        if args.follow:
            def emit(entry: LogEntry) -> None:
                tools.reporter.write(json.dumps(entry.as_dict(), ensure_ascii=False) if json_mode else entry.line())
                tools.reporter.out.flush()

            follow(session, query, tools, emit)
            return 0
        entries = search(session, query, tools)
        if json_mode:
            tools.reporter.write(json.dumps([e.as_dict() for e in entries], indent=2, ensure_ascii=False))
        elif entries:
            tools.reporter.write("\n".join(entry.line() for entry in entries))
        else:
            tools.reporter.step(f"no log entries in the last {args.since}")
        return 0

    return command


def metrics_command(args: argparse.Namespace) -> Command:
    from component.toolbox.metrics import collect, render

    since = parse_duration(args.since)
    metrics = [m.strip() for m in str(args.metric).split(",") if m.strip()]
    unknown = [m for m in metrics if m not in KNOWN_METRICS]
    if not metrics or unknown:
        msg = f"--metric: unknown {', '.join(unknown) or '(none given)'}; known: {', '.join(sorted(KNOWN_METRICS))}"
        raise UsageError(msg)

    def command(session: Session, tools: Tools) -> int:
        doc = collect(session, metrics, args.alias, since, tools.wall)
        if tools.reporter.json_mode:
            tools.reporter.write(json.dumps(doc, indent=2))
        else:
            tools.reporter.write(render(doc, metrics))
        return 0

    return command
