"""The deploy pipeline: desired state, readers, pure planners, the plan, the executor, the outputs.

``pipeline`` composes the stages (``stages``) into deploy, dry run and (with ``rollout.deploy``'s alias
stage) rollout; ``removal`` composes ``scf remove``. Each resource (function, alias, settings, triggers,
API Gateway, old versions) has a desired model, a reader, a planner and instruction handlers; the
``executor`` is the only code that writes. See ARCHITECTURE.md.
"""
