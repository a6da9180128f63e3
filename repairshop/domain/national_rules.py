"""The national defaults a shop's country brings: warranty, liability, complaints and tax.

Each value is only a default: the shop can change every one of them in its settings
(``repairshop settings set``). The shop's country (``shop.country``) picks the row.

Sources, as the defaults read them:

- the seller's liability in the EU: Directive (EU) 2019/771, two years from delivery;
  the seller bears the burden of proof for the first year (Art. 11), two years in Poland
  (Kodeks cywilny / ustawa o prawach konsumenta, art. 43c); extended by 12 months when
  the consumer chose repair over replacement (Directive (EU) 2024/1799, Art. 16);
- United Kingdom: Consumer Rights Act 2015 — six years to claim (Limitation Act 1980),
  the trader bears the burden for the first six months; no repair extension;
- Russia: consumer protection act (ЗоЗПП) art. 19 — two years when the seller set no
  guarantee period, the consumer proves the defect's origin; no repair extension;
- deadlines to settle a complaint: CZ 30 days (zákon o ochraně spotřebitele §19),
  SK 30 days (zákon o ochrane spotrebiteľa), PL 14 days to answer, after which the complaint
  counts as accepted (ustawa o prawach konsumenta, art. 7a), HU 15 days to repair or replace
  and 3 working days to say whether the claim is accepted (NGM rendelet 19/2014), RU 45 days
  for a repair (ЗоЗПП art. 20) and 10 days for a refund or a price reduction (art. 22);
  DE, AT and GB set no fixed period: 30 days until the shop sets its own;
- the repair warranty on the shop's own work: 90 days, except where the law sets one:
  DE two years (BGB §634a: work on a thing), AT two years (ABGB §933), HU six months
  (Korm. rendelet 249/2004, compulsory warranty on repairs of durables);
- the standard VAT rate of each country (2026).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class NationalRules:
    manufacturer_months: int
    """What a manufacturer's warranty usually runs when the shop set nothing for the brand."""
    statutory_months: int
    burden_months: int
    repair_extension_months: int
    repair_days: int
    complaint_decide_days: int
    complaint_working_days: bool
    tax_rate: Decimal
    prices_include_vat: bool = True
    complaint_refund_days: int = 0
    """A shorter period when the customer asks for a refund or a price reduction (0: none)."""
    complaint_reply_days: int = 0
    """Working days to tell the customer whether the complaint is accepted (0: none)."""
    complaint_accepted_if_unanswered: bool = False


def _eu(
    tax_rate: str,
    *,
    burden_months: int = 12,
    repair_days: int = 90,
    complaint_decide_days: int = 30,
    complaint_reply_days: int = 0,
    complaint_accepted_if_unanswered: bool = False,
) -> NationalRules:
    return NationalRules(
        manufacturer_months=24,
        statutory_months=24,
        burden_months=burden_months,
        repair_extension_months=12,
        repair_days=repair_days,
        complaint_decide_days=complaint_decide_days,
        complaint_working_days=False,
        tax_rate=Decimal(tax_rate),
        complaint_reply_days=complaint_reply_days,
        complaint_accepted_if_unanswered=complaint_accepted_if_unanswered,
    )


NATIONAL_RULES: dict[str, NationalRules] = {
    "CZ": _eu("21"),
    "SK": _eu("23"),
    "PL": _eu(
        "23", burden_months=24, complaint_decide_days=14, complaint_accepted_if_unanswered=True
    ),
    "HU": _eu("27", repair_days=180, complaint_decide_days=15, complaint_reply_days=3),
    "DE": _eu("19", repair_days=730),
    "AT": _eu("20", repair_days=730),
    "GB": NationalRules(
        manufacturer_months=12,
        statutory_months=72,
        burden_months=6,
        repair_extension_months=0,
        repair_days=90,
        complaint_decide_days=30,
        complaint_working_days=False,
        tax_rate=Decimal("20"),
    ),
    "RU": NationalRules(
        manufacturer_months=12,
        statutory_months=24,
        burden_months=0,
        repair_extension_months=0,
        repair_days=90,
        complaint_decide_days=45,
        complaint_working_days=False,
        tax_rate=Decimal("22"),
        complaint_refund_days=10,
    ),
}
"""The countries whose rules RepairShop knows, by ISO 3166 alpha-2 code."""

DEFAULT_COUNTRY = "CZ"
