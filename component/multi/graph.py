"""The dependency graph of a root's instances, from their ``${output:...}`` references.

An instance depends on every instance it reads an output from. Everything that can be checked
without the cloud is checked here, before the first call, and all problems are reported together
(ConfigError, exit 2), each naming the referring file and the file referred to: a reference to an
instance that does not exist, to an output key no deploy produces, and cycles (including an instance
referring to itself). Removal walks the same graph backwards (:meth:`Graph.reversed`), so an instance
is removed only after everything that reads its outputs.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from component.errors import ConfigError, Problem
from component.multi.discover import Instance, Reference
from component.multi.outputs.resolve import KNOWN_KEYS, read_outputs


@dataclass(frozen=True)
class Graph:
    """``needs[x]``: the instances that must finish before *x* starts."""

    instances: Mapping[str, Instance]
    needs: Mapping[str, tuple[str, ...]]

    def dependents(self, name: str) -> tuple[str, ...]:
        return tuple(n for n in self.order() if name in self.needs[n])

    def order(self) -> tuple[str, ...]:
        """A topological order, ties broken by name, so runs and messages are reproducible."""
        done: list[str] = []
        remaining = dict(self.needs)
        while remaining:
            ready = sorted(n for n, deps in remaining.items() if all(d in done for d in deps))
            if not ready:  # build_graph refuses cycles; this only guards direct construction
                msg = f"cycle among {sorted(remaining)}"
                raise ValueError(msg)
            done.append(ready[0])
            del remaining[ready[0]]
        return tuple(done)

    def reversed(self) -> Graph:
        """The graph for removal: each instance waits for the instances that depend on it."""
        return Graph(self.instances, {n: self.dependents(n) for n in self.needs})


def build_graph(instances: tuple[Instance, ...], stage: str | None = None) -> Graph:
    """Check every reference and build the graph; ConfigError listing every problem otherwise."""
    by_name = {i.name: i for i in instances}
    problems: list[Problem] = []
    needs: dict[str, tuple[str, ...]] = {}
    for instance in instances:
        deps: list[str] = []
        for reference in instance.references:
            problem = _check(instance, reference, by_name, stage)
            if problem is not None:
                problems.append(problem)
            elif reference.ref.instance not in deps:
                deps.append(reference.ref.instance)
        needs[instance.name] = tuple(deps)
    if problems:
        raise ConfigError(problems)
    cycle = _find_cycle(needs)
    if cycle:
        raise ConfigError(_cycle_problem(cycle, by_name))
    return Graph(by_name, needs)


def _check(
    instance: Instance, reference: Reference, by_name: Mapping[str, Instance], stage: str | None
) -> Problem | None:
    target = reference.ref.instance
    root = instance.folder.parent
    if target not in by_name:
        names = ", ".join(sorted(by_name))
        message = (
            f"{reference.text} refers to instance {target!r}, but no {root}/*/serverless.yml has `name: {target}` "
            f"(instances: {names})"
        )
        return Problem(reference.path, message, str(instance.file), reference.line)
    key = reference.ref.key.split(".")[0]
    if key in KNOWN_KEYS:
        return None
    recorded = read_outputs(by_name[target], reference.ref.stage or stage or "dev") or {}
    if key in recorded:
        return None
    message = (
        f"{reference.text}: instance {target!r} ({by_name[target].file}) has no output {key!r} "
        f"(outputs: {', '.join(sorted(KNOWN_KEYS))})"
    )
    return Problem(reference.path, message, str(instance.file), reference.line)


def _find_cycle(needs: Mapping[str, tuple[str, ...]]) -> list[str]:
    """One cycle as [a, b, ..., a], or [] if there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for dep in needs[name]:
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[name] = 2
        return []

    for name in sorted(needs):
        if name not in state:
            found = visit(name)
            if found:
                return found
    return []


def _cycle_problem(cycle: list[str], by_name: Mapping[str, Instance]) -> Problem:
    steps: list[str] = []
    for name, dep in itertools.pairwise(cycle):
        instance = by_name[name]
        reference = next(r for r in instance.references if r.ref.instance == dep)
        steps.append(f"{name} ({instance.where(reference)} {reference.path}: {reference.text})")
    chain = " -> ".join([*steps, cycle[-1]])
    first = by_name[cycle[0]]
    return Problem("", f"instances depend on each other in a cycle: {chain}", hint=f"root {first.folder.parent}")


__all__ = ["Graph", "build_graph"]
