"""``python -m repairshop`` runs the command line."""

import sys

from repairshop.cli import main

sys.exit(main())
