"""Everything the user reads: progress on stderr, results on stdout (implements ``component.progress``).

Progress lines (each step, each wait, with elapsed time) go to stderr so that stdout carries only
the result; with ``--json`` stderr carries NDJSON events instead and stdout one JSON document, for CI.
Plans and step summaries are rendered through the jinja2 templates in ``templates/``; the result of
every command is the ``pretty`` layout and one line, built here in plain Python (importing jinja2 and
compiling a template cost ≈15 ms at the end of each deploy, #17). Every string that leaves through
here is scrubbed of the current secrets as a last line of defence.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from component.masking import Masker


class Reporter:
    def __init__(
        self,
        *,
        json_mode: bool = False,
        out: IO[str] | None = None,
        err: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        secrets: Iterable[str] = (),
        masker: Masker | None = None,
    ) -> None:
        self.json_mode = json_mode
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._clock = clock
        self._start = clock()
        self.masker = masker or Masker()
        self.masker.add(secrets)
        self.documents = 0  # results written on stdout (with --json there must be exactly one)
        self.unwritten: list[str] = []  # local files a finished command could not write (component.localfiles)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        self.masker.add(secrets)

    def scrub(self, text: str) -> str:
        """``text`` with every secret replaced where it stands as a whole value (``component.masking``)."""
        return self.masker.mask(text)

    @property
    def elapsed(self) -> float:
        return round(self._clock() - self._start, 2)

    def event(self, kind: str, **fields: Any) -> None:
        if self.json_mode:
            record = {"event": kind, "elapsed": self.elapsed, **fields}
            self.err.write(self.scrub(json.dumps(record, default=str)) + "\n")

    def step(self, message: str) -> None:
        if self.json_mode:
            self.event("step", message=message)
        else:
            self.err.write(self.scrub(f"[{self.elapsed:6.2f}s] {message}") + "\n")
        self.err.flush()

    def warn(self, message: str) -> None:
        if self.json_mode:
            self.event("warning", message=message)
        else:
            self.err.write(self.scrub(f"warning: {message}") + "\n")

    def waited(self, name: str, seconds: float) -> None:
        if seconds >= 0.01:
            self.step(f"waited {seconds:.2f}s for {name} to become Active")

    def plan(self, context: Mapping[str, Any]) -> None:
        """A plan, already described (``component.deploy.describe.plan_context``) with its header."""
        if self.json_mode:  # the NDJSON event for streams, and the plan as the one document on stdout
            self.event("plan", **context)
            self.write(json.dumps({**context, "dry_run": True}, indent=2, default=str))
            return
        self.write(render_template("plan.txt.j2", context))

    def write(self, text: str) -> None:
        self.documents += 1
        self.out.write(self.scrub(text).rstrip("\n") + "\n")

    def result(self, outputs: Mapping[str, Any], context: Mapping[str, Any]) -> None:
        if self.json_mode:
            self.write(json.dumps(outputs, indent=2, default=str))
        else:
            self.write(result_text(outputs, context))


def result_text(outputs: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    """The outputs in the ``pretty`` layout, a blank line, then ``{elapsed}s › {instance} › {outcome}``."""
    outcome = "dry run: nothing changed" if context["dry_run"] else context.get("outcome", "deployed")
    return f"{pretty(outputs)}\n\n{context['elapsed']}s › {context['instance']} › {outcome}\n"


def render_template(name: str, context: Mapping[str, Any]) -> str:
    import jinja2

    from component.resources import data_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined if name.endswith(".txt.j2") else jinja2.Undefined,
    )
    env.filters["pretty"] = pretty
    return env.get_template(name).render(**context)


def pretty(value: Any, indent: int = 0) -> str:
    """The Node CLI's ``prettyoutput`` layout: aligned keys, nested blocks, ``-`` list items."""
    lines = _pretty_lines(value, indent)
    return "\n".join(lines)


def _pretty_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, Mapping):
        width = max((len(str(k)) for k in value), default=0) + 2
        lines: list[str] = []
        for key, item in value.items():
            label = f"{pad}{str(key) + ':':<{width}}"
            if _is_block(item):
                lines.append(f"{pad}{key}:")
                lines += _pretty_lines(item, indent + 2)
            else:
                lines.append(f"{label}{_scalar(item)}".rstrip())
        return lines
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            nested = _pretty_lines(item, indent + 2)
            first = nested[0].lstrip() if nested else ""
            out.append(f"{pad}- {first}")
            out += nested[1:]
        return out
    return [f"{pad}{_scalar(value)}"]


def _is_block(value: Any) -> bool:
    return isinstance(value, Mapping | list) and bool(value)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list):
        return "[]" if isinstance(value, list) else "{}"
    return str(value)
