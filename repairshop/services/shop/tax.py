"""The shop's country, its default VAT rate and whether prices are entered with VAT.

The settings keys ``shop.country``, ``tax.default_rate`` and ``prices.include_vat``
as :func:`~repairshop.services.shop.settings.get_rules` has them (national defaults for
any key not set) in the shape the money arithmetic takes. It sits
in the shop room, with the settings, because the approval guard below the money room
(parts on a job, the move into repair) prices a job too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from repairshop.domain.vat import RoundingRules, rounding_rules
from repairshop.services.shop.settings import get_rules
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class TaxSettings:
    country: str
    default_rate: Decimal
    prices_include_vat: bool

    def rules(self, currency: str) -> RoundingRules:
        return rounding_rules(self.country, currency)


def tax_settings(uow: UnitOfWork) -> TaxSettings:
    """The three settings in force: the shop's own values over its country's defaults."""
    rules = get_rules(uow)
    return TaxSettings(rules.country, rules.tax_default_rate, rules.prices_include_vat)
