"""The built app's desktop entry point (``repairshop-gui``)."""

import sys

from ui.app import main

sys.exit(main())
