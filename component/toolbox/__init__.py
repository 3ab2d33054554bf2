"""The toolbox around a deploy: the Node component's actions, logs, metrics, init, schema, completion.

``cli.register`` adds the subcommands to the ``scf`` parser (no heavy imports: ``scf --help`` stays
fast); ``cli.run`` runs one of them. The cloud is reached the usual way, through
``component.connect`` and the one SDK adapter.
"""
