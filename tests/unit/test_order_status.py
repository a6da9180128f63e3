"""What a purchase order in each status allows: the orders view only shows it."""

from __future__ import annotations

import pytest

from repairshop.services.parts.purchasing import OrderStatus

Order = OrderStatus


@pytest.mark.parametrize(
    ("status", "send", "receive", "cancel"),
    [
        (Order.DRAFT, True, False, True),
        (Order.SENT, False, True, True),
        (Order.PARTLY_RECEIVED, False, True, False),
        (Order.RECEIVED, False, False, False),
        (Order.CANCELLED, False, False, False),
    ],
)
def test_what_an_order_allows(status: OrderStatus, send: bool, receive: bool, cancel: bool) -> None:
    assert (status.can_send, status.can_receive, status.can_cancel) == (send, receive, cancel)
