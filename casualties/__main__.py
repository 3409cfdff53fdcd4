"""``python -m casualties`` runs the same ``main`` as the ``casualties`` command."""

import sys

from casualties.cli import main

sys.exit(main())
