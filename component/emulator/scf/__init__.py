"""The SCF service (2018-04-16): functions, versions, aliases, invocation, triggers, timers, layers, namespaces.

``store.py`` holds the per-region state and the status machine; each topic module holds its actions;
``runner.py`` and the workers execute user code.
"""
