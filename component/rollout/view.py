"""What a rollout shows while it runs: a weight bar and per-version figures per check.

Human mode writes one line per event on stderr (through the :class:`Reporter`, so secrets are
scrubbed and stdout keeps only the result); ``--json`` turns the same events into NDJSON records
(``rollout.step``, ``rollout.check``, ``rollout.hook``, ``rollout.end``) that CI can follow.
"""

from __future__ import annotations

from typing import Any

from component.render import Reporter
from component.rollout.analysis import Move, Verdict, VersionFigures
from component.rollout.state import RolloutState

BAR = 20


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
    }


class RolloutView:
    def __init__(self, reporter: Reporter) -> None:
        self._reporter = reporter

    def _emit(self, kind: str, text: str, **fields: Any) -> None:
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
        self, state: RolloutState, move: Move, verdict: Verdict, candidate: VersionFigures, stable: VersionFigures
    ) -> None:
        text = (
            f"rollout {step_label(state)} check: {figures_text(candidate)} | {figures_text(stable)} "
            f"-> {verdict.outcome.value}, {move.value}"
        )
        self._emit(
            "rollout.check",
            text,
            verdict=verdict.outcome.value,
            move=move.value,
            detail=verdict.reason,
            candidate=figures_json(candidate),
            stable=figures_json(stable),
            rollout=state_json(state),
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


def render_status(
    alias: str, state: RolloutState | None, figures: tuple[VersionFigures, VersionFigures] | None, routing: str
) -> str:
    if state is None:
        return f"alias {alias}: {routing}\nno rollout recorded on this alias"
    lines = [
        f"alias {alias}: {routing}",
        f"rollout {state.phase}: version {state.candidate} over stable {state.stable}, {step_label(state)} "
        f"of {', '.join(f'{w:.0%}' for w in state.steps)}",
        f"  {weight_bar(state)}",
    ]
    if figures is not None:
        lines.append(f"  since step start: {figures_text(figures[0])} | {figures_text(figures[1])}")
    elif state.figures is not None:
        f = state.figures
        lines.append(
            f"  last check: v{state.candidate}: {f.c_invocations} inv, {f.c_errors} err | "
            f"v{state.stable}: {f.s_invocations} inv, {f.s_errors} err"
        )
    if state.failures or state.inconclusive:
        lines.append(f"  failed checks {state.failures}, inconclusive checks {state.inconclusive}")
    if state.reason:
        lines.append(f"  reason: {state.reason}")
    return "\n".join(lines)
