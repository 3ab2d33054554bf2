"""Projects with several instances: one folder each, deployed together in dependency order.

A *root* folder holds no ``serverless.yml`` of its own but direct subfolders that do (reference §7,
the Node CLI's ``runAll``). ``discover`` finds the instances, ``graph`` orders them by their
``${output:...}`` references, ``runner`` runs a command over the graph with a bounded pool of
threads, ``summary`` renders the result table. ``component.commands.run`` hands a root over to
``component.multi.command.run_multi``; this package never changes how a single instance deploys.
"""

from __future__ import annotations

from component.multi.discover import is_multi_root
from component.multi.outputs.resolve import sibling_resolver

__all__ = ["is_multi_root", "sibling_resolver"]
