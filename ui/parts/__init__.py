"""The parts room of the desktop app.

``PartsView(context)`` is the whole view (catalogue and part card, purchase
orders, stock take); ``JobPartsPanel(context, code)`` is the job card's Parts tab.
"""

from ui.parts.job_parts_panel import JobPartsPanel
from ui.parts.parts_view import PartsView

__all__ = ["JobPartsPanel", "PartsView"]
