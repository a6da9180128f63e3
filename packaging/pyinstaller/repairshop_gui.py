"""The built app's desktop entry point (``repairshop-gui``)."""

import sys

from ui.start import main

sys.exit(main())
