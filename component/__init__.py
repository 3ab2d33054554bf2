"""scf-component: deploy Tencent Cloud SCF functions from serverless.yml.

Packages, from the top of the import graph down (ARCHITECTURE.md; ``lint-imports`` keeps the order):

* ``cli`` (argv, errors → exit codes) → ``commands`` (one handler per command) and ``toolbox`` (the Node
  component's actions, logs, metrics, init, schema, completion);
* ``multi`` (a folder of instances, dependency order, joint rollout) → ``rollout`` (progressive rollout,
  the step walker) → ``release`` (rollback, promote, info, invoke);
* ``deploy`` (the composed pipeline: desired state, readers, planners, plan, executor, outputs);
* ``cloud`` (typed API over the official SDK) and ``config`` (load and validate what the user wrote);
* ``errors``; the seams ``tools``, ``progress``, ``qualifiers``, ``render``, ``connect``, ``localfiles``,
  ``masking``, ``process`` (the ``scf`` process's garbage collector) and ``records`` (``Frozen``).

``emulator`` is a fake of the cloud API beside the tool: it imports nothing from it, and the tool reaches
it only over HTTP through the same SDK (``connect``).
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
