"""``python -m caremarket.engine.allocation`` runs the ``caremarket allocate`` command."""

import sys

from caremarket.engine.allocation.cli import main

sys.exit(main(sys.argv[1:]))
