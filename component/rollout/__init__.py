"""Progressive rollout: walk an alias from the stable version to a candidate step by step.

``model`` parses the ``rollout`` input, ``state`` is the record kept in the alias description,
``analysis`` and ``decide`` are pure (metrics in, verdict and next move out), ``metrics`` reads Cloud
Monitor, ``hooks`` runs gates, ``runner`` drives the loop and ``view`` renders it.
"""
