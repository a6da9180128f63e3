"""The shop's country, its default VAT rate and whether prices are entered with VAT.

One small reader of the settings keys ``shop.country``, ``tax.default_rate`` and
``prices.include_vat``, with the country's national defaults for any key not set (a
shop that has not named its country yet falls back to its phone ``region``). It sits
in the shop room, with the settings, because the approval guard below the money room
(parts on a job, the move into repair) prices a job too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from repairshop.db.tables import Setting
from repairshop.domain.vat import (
    FALLBACK_COUNTRY,
    RoundingRules,
    national_vat_rate,
    parse_vat_rate,
    rounding_rules,
)
from repairshop.services.uow import UnitOfWork

COUNTRY_KEY = "shop.country"
DEFAULT_RATE_KEY = "tax.default_rate"
INCLUDE_VAT_KEY = "prices.include_vat"
_REGION_KEY = "region"


@dataclass(frozen=True)
class TaxSettings:
    country: str
    default_rate: Decimal
    prices_include_vat: bool

    def rules(self, currency: str) -> RoundingRules:
        return rounding_rules(self.country, currency)


def tax_settings(uow: UnitOfWork) -> TaxSettings:
    """The three settings as stored, or the national defaults (prices include VAT)."""
    keys = (COUNTRY_KEY, DEFAULT_RATE_KEY, INCLUDE_VAT_KEY, _REGION_KEY)
    rows = dict(
        uow.session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(keys))).all()
    )
    country = (rows.get(COUNTRY_KEY) or rows.get(_REGION_KEY) or FALLBACK_COUNTRY).strip().upper()
    stored_rate = rows.get(DEFAULT_RATE_KEY)
    rate = parse_vat_rate(stored_rate) if stored_rate else national_vat_rate(country)
    include = rows.get(INCLUDE_VAT_KEY, "true").strip().lower() not in ("false", "0", "no")
    return TaxSettings(country, rate, include)
