"""``python -m component`` is the same as the ``scf`` console script."""

from component.cli import main

raise SystemExit(main())
