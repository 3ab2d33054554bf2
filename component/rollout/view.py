"""What a rollout shows while it runs: a weight bar and per-version figures per check.

Human mode writes one line per event on stderr (through the :class:`Reporter`, so secrets are
scrubbed and stdout keeps only the result); ``--json`` turns the same events into NDJSON records
(``rollout.step``, ``rollout.check``, ``rollout.hook``, ``rollout.end``) that CI can follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from component.render import Reporter
from component.rollout.analysis import Move, Verdict, VersionFigures
from component.rollout.state import RolloutState

BAR = 20
PLAIN_EVERY = 30.0  # seconds of countdown between plain (non-terminal) progress lines


def weight_bar(state: RolloutState) -> str:
    filled = round(state.weight * BAR)
    return f"v{state.candidate} [{'#' * filled}{'.' * (BAR - filled)}] {state.weight:.0%}"


def step_label(state: RolloutState) -> str:
    return f"step {min(state.step, len(state.steps) - 1) + 1}/{len(state.steps)}"


def figures_text(fig: VersionFigures) -> str:
    text = f"v{fig.version}: {fig.invocations:g} inv, {fig.errors:g} err ({fig.error_rate:.1%})"
    return text if fig.duration is None else f"{text}, {fig.duration:.0f} ms"


def figures_json(fig: VersionFigures) -> dict[str, Any]:
    return {
        "version": fig.version,
        "invocations": fig.invocations,
        "errors": fig.errors,
        "errorRate": round(fig.error_rate, 6),
        "duration": fig.duration,
    }


def state_json(state: RolloutState) -> dict[str, Any]:
    return {
        "phase": state.phase,
        "candidate": state.candidate,
        "stable": state.stable,
        "step": state.step + 1,
        "steps": list(state.steps),
        "weight": state.weight,
        "failures": state.failures,
        "inconclusive": state.inconclusive,
        "reason": state.reason,
        "started": state.started,
        "lastFigures": None if state.figures is None else _last_figures(state),
    }


def _last_figures(state: RolloutState) -> dict[str, Any]:
    f = state.figures
    assert f is not None
    return {
        "candidate": {"version": state.candidate, "invocations": f.c_invocations, "errors": f.c_errors},
        "stable": {"version": state.stable, "invocations": f.s_invocations, "errors": f.s_errors},
    }


class RolloutView:
    def __init__(self, reporter: Reporter) -> None:
        self._reporter = reporter
        self._live = False  # a redrawn line is on the terminal
        self._shown: tuple[int, str] | None = None  # (countdown slot, figures) of the last plain progress line

    def waiting(self, state: RolloutState, left: float, figures: tuple[VersionFigures, VersionFigures] | None) -> None:
        """Progress while a step waits: one redrawn line on a terminal; otherwise a line (an NDJSON
        ``rollout.wait`` event with --json) each :data:`PLAIN_EVERY` seconds of countdown or new figures."""
        so_far = (
            "no complete minute yet" if figures is None else f"{figures_text(figures[0])} | {figures_text(figures[1])}"
        )
        text = (
            f"rollout {step_label(state)}: {weight_bar(state)} | v{state.stable}; "
            f"next check in {left:.0f}s; so far {so_far}"
        )
        reporter = self._reporter
        if not reporter.json_mode and bool(getattr(reporter.err, "isatty", lambda: False)()):
            reporter.err.write("\r\x1b[K" + reporter.scrub(text))
            reporter.err.flush()
            self._live = True
            return
        key = (int(left // PLAIN_EVERY), so_far)
        if self._shown == key:
            return
        self._shown = key
        if not reporter.json_mode:
            reporter.step(text)
            return
        fields: dict[str, Any] = {"rollout": state_json(state), "left": round(left, 1)}
        if figures is not None:
            fields["candidate"], fields["stable"] = figures_json(figures[0]), figures_json(figures[1])
        reporter.event("rollout.wait", **fields)
        reporter.err.flush()

    def waited(self) -> None:
        """Clear the redrawn line, so the next line starts on a clean one."""
        if self._live:
            self._reporter.err.write("\r\x1b[K")
            self._live = False

    def _emit(self, kind: str, text: str, **fields: Any) -> None:
        self.waited()
        if self._reporter.json_mode:
            self._reporter.event(kind, **fields)
            self._reporter.err.flush()
        else:
            self._reporter.step(text)

    def step(self, state: RolloutState) -> None:
        self._emit(
            "rollout.step",
            f"rollout {step_label(state)}: {weight_bar(state)} | v{state.stable}",
            rollout=state_json(state),
        )

    def check(
        self,
        state: RolloutState,
        move: Move,
        verdict: Verdict,
        candidate: VersionFigures,
        stable: VersionFigures,
        checked: RolloutState | None = None,
    ) -> None:
        """One check of the step ``checked`` (labelled with it); ``state`` is what the check moved to."""
        checked = checked or state
        text = (
            f"rollout {step_label(checked)} check: {figures_text(candidate)} | {figures_text(stable)} "
            f"-> {verdict.outcome.value}, {move.value}"
        )
        self._emit(
            "rollout.check",
            text,
            step=checked.step + 1,
            verdict=verdict.outcome.value,
            move=move.value,
            detail=verdict.reason,
            candidate=figures_json(candidate),
            stable=figures_json(stable),
            rollout=state_json(state),
        )

    def hook_start(self, stage: str, label: str, timeout: float, state: RolloutState) -> None:
        self._emit(
            "rollout.hook.start",
            f"{stage} hook {label}: running for {step_label(state)} (timeout {timeout:g}s)",
            stage=stage,
            hook=label,
            timeout=timeout,
            step=state.step + 1,
        )

    def hook(self, stage: str, label: str, ok: bool, detail: str) -> None:
        self._emit(
            "rollout.hook",
            f"{stage} hook {label}: {'passed' if ok else 'FAILED'} ({detail})",
            stage=stage,
            hook=label,
            ok=ok,
            detail=detail,
        )

    def end(self, state: RolloutState) -> None:
        text = f"rollout {state.phase}: v{state.candidate} {state.weight:.0%}"
        self._emit("rollout.end", f"{text} ({state.reason})" if state.reason else text, rollout=state_json(state))


def render_status(document: Mapping[str, Any]) -> str:
    """``scf status`` for a human, from the same document ``--json`` prints."""
    alias, routing, rollout = document["alias"], document["routing"], document.get("rollout")
    if rollout is None:
        return f"alias {alias}: {routing}\nno rollout recorded on this alias"
    steps = rollout["steps"]
    step = f"step {min(rollout['step'], len(steps))}/{len(steps)}"
    filled = round(rollout["weight"] * BAR)
    lines = [
        f"alias {alias}: {routing}",
        f"rollout {rollout['phase']}: version {rollout['candidate']} over stable {rollout['stable']}, {step} "
        f"of {', '.join(f'{w:.0%}' for w in steps)}",
        f"  v{rollout['candidate']} [{'#' * filled}{'.' * (BAR - filled)}] {rollout['weight']:.0%}",
    ]
    lines += _window_lines(document)
    if rollout["failures"] or rollout["inconclusive"]:
        lines.append(f"  failed checks {rollout['failures']}, inconclusive checks {rollout['inconclusive']}")
    if rollout["reason"]:
        lines.append(f"  reason: {rollout['reason']}")
    return "\n".join(lines)


def _window_lines(document: Mapping[str, Any]) -> list[str]:
    span, figures = document.get("window"), document.get("figures")
    if span is None or figures is None:
        last = document["rollout"].get("lastFigures")
        if not last:
            return []
        c, s = last["candidate"], last["stable"]
        return [f"  last check: {_fig(c)} | {_fig(s)}"]
    started = _clock(span["stepStarted"], seconds=True)
    if span["from"] is None:
        return [
            f"  step began {started}; no complete Monitor minute since then yet "
            f"(figures from {_clock(span['measurableAt'], seconds=True)})"
        ]
    return [
        f"  complete minutes {_clock(span['from'])}-{_clock(span['to'])} since the step began {started}: "
        f"{_fig(figures['candidate'])} | {_fig(figures['stable'])}"
    ]


def _fig(fig: Mapping[str, Any]) -> str:
    rate = fig["errors"] / fig["invocations"] if fig["invocations"] else 0.0
    return f"v{fig['version']}: {fig['invocations']:g} inv, {fig['errors']:g} err ({rate:.1%})"


def _clock(stamp: str, *, seconds: bool = False) -> str:
    """``HH:MM`` (or ``HH:MM:SS``) of an ISO time, with its offset."""
    moment = datetime.fromisoformat(stamp)
    return moment.strftime("%H:%M:%S" if seconds else "%H:%M") + moment.strftime("%z")[:3]
