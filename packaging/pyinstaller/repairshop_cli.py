"""The built app's command line (``repairshop``); with no command it starts the desktop app."""

import sys

from repairshop.cli import main

sys.exit(main())
