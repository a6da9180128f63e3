"""The catalogue cost of a part: the weighted average cost of the stock on hand.

A delivery at a new price does not revalue the units already on the shelf: the
catalogue cost becomes the average of what is on hand (at the stored cost) and
what arrived (at its unit cost), as the weighted-average method of stock
valuation does. With nothing on hand, or no cost known yet, the delivery's unit
cost is the cost. Amounts are integer minor units.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def weighted_cost(on_hand: int, cost: int, received: int, unit_cost: int) -> int:
    """The cost per unit after ``received`` units at ``unit_cost`` join ``on_hand`` at ``cost``."""
    if on_hand <= 0 or cost <= 0:
        return unit_cost
    total = Decimal(on_hand * cost + received * unit_cost) / (on_hand + received)
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
