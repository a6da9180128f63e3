"""Which warranty covers a device brought to the counter, and why: decided at intake.

:func:`decide` is pure: it takes the device's facts, the shop's rules (from its settings),
the earlier jobs on the same device and a fixed ``today``, and returns one
:class:`Decision` with every rule it tried and why each did or did not apply.

The rules:

- **manufacturer** — the brand's warranty (months per brand, and per brand and device
  type, from the shop's settings) from the purchase date; needs the purchase date and a
  proof of purchase;
- **statutory** — the seller's liability when the shop sold the device: the statutory
  period from delivery (the purchase date), the burden of proof on the seller for the
  first ``burden_months``, extended by ``repair_extension_months`` once the customer chose
  repair over replacement in an earlier claim on this device;
- **repair_warranty** — the shop's own warranty on an earlier job: the same fault (the
  clerk names the job, or the fault reads the same) or a part replaced there comes back
  within ``repair_days`` of that job's collection. A re-repair never resets it: a job done
  under the repair warranty hands on its end date, not a new one;
- a **replacement** device inherits what was left of the replaced device's warranty;
- **none** otherwise.

When several apply, the customer gets the one best for them, in this order:

1. statutory liability while the seller bears the burden of proof — the strongest rights
   in law (repair or replacement, then a price cut or a refund) and nothing to prove;
2. the shop's repair warranty — its own work failed: the shop redoes it free and at
   once, without sending the device to the manufacturer;
3. the manufacturer's warranty — free, through the brand's service;
4. statutory liability once the burden of proof has passed to the customer.

Between two of the same rank the later end date wins. The others that apply are named
in the reasons too.

Reasons are kept as source texts with their values (:class:`Reason`), so a stored decision
is shown in whatever language reads it: the desk's on screen, the customer's on paper.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from repairshop.i18n import N_, _, format_day, gettext_in


class Regime(StrEnum):
    MANUFACTURER = "manufacturer"
    STATUTORY = "statutory"
    REPAIR_WARRANTY = "repair_warranty"
    NONE = "none"

    @property
    def label(self) -> str:
        return _(REGIME_LABELS[self])


REGIME_LABELS: dict[Regime, str] = {
    Regime.MANUFACTURER: N_("Manufacturer's warranty"),
    Regime.STATUTORY: N_("Statutory liability of the seller"),
    Regime.REPAIR_WARRANTY: N_("Warranty on our earlier repair"),
    Regime.NONE: N_("No warranty"),
}


class Burden(StrEnum):
    SELLER = "seller"
    CUSTOMER = "customer"


class Rule(StrEnum):
    """The rules :func:`decide` tries, as ``warranty explain`` names them."""

    MANUFACTURER = "manufacturer"
    STATUTORY = "statutory"
    REPAIR_WARRANTY = "repair_warranty"
    REPLACEMENT = "replacement"


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Reason:
    """Sentences in the source language with their values; each is translated on its own.

    A value named ``regime`` is a :class:`Regime` key shown by its label; dates are
    formatted for the language that reads them.
    """

    parts: tuple[str, ...]
    values: Mapping[str, str | int | date] = field(default_factory=dict)

    def __add__(self, other: Reason) -> Reason:
        return Reason(self.parts + other.parts, {**self.values, **other.values})

    def render(self, language: str | None = None) -> str:
        """The sentences in ``language`` (the desk's language when ``None``)."""

        def translate(text: str) -> str:
            return _(text) if language is None else gettext_in(language, text)

        values: dict[str, str | int] = {}
        for key, value in self.values.items():
            if isinstance(value, date):
                values[key] = format_day(value, language)
            elif key == "regime":
                values[key] = translate(REGIME_LABELS[Regime(str(value))])
            else:
                values[key] = value
        return " ".join(translate(part).format(**values) for part in self.parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "parts": list(self.parts),
            "values": {
                key: value.isoformat() if isinstance(value, date) else value
                for key, value in self.values.items()
            },
            "dates": sorted(key for key, value in self.values.items() if isinstance(value, date)),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        dates = set(data.get("dates", ()))
        values = {
            key: date.fromisoformat(value) if key in dates else value
            for key, value in dict(data.get("values", {})).items()
        }
        return cls(tuple(str(part) for part in data["parts"]), values)


def reason(text: str, **values: str | int | date) -> Reason:
    return Reason((text,), values)


@dataclass(frozen=True)
class RuleTried:
    rule: Rule
    applies: bool
    until: date | None
    reason: Reason

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "applies": self.applies,
            "until": self.until.isoformat() if self.until else None,
            "reason": self.reason.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuleTried:
        until = data.get("until")
        return cls(
            Rule(data["rule"]),
            bool(data["applies"]),
            date.fromisoformat(until) if until else None,
            Reason.from_json(data["reason"]),
        )


@dataclass(frozen=True)
class WarrantyRules:
    """The shop's rules at the moment of the decision (from its settings)."""

    manufacturer_months: int = 24
    manufacturer_months_by: Mapping[str, int] = field(default_factory=dict)
    """Months per ``brand`` or ``brand.device_type``, keys lower-case."""
    statutory_months: int = 24
    burden_months: int = 12
    repair_extension_months: int = 12
    repair_days: int = 90

    def manufacturer_months_for(self, brand: str, device_type: str) -> int:
        """The most specific period the shop set: brand and type, then brand, then all."""
        brand_key = brand.strip().casefold()
        for key in (f"{brand_key}.{device_type}", brand_key):
            if key in self.manufacturer_months_by:
                return self.manufacturer_months_by[key]
        return self.manufacturer_months


@dataclass(frozen=True)
class DeviceFacts:
    brand: str
    device_type: str
    purchase_date: date | None
    proof_of_purchase: str = ""
    sold_by_us: bool = False


@dataclass(frozen=True)
class EarlierJob:
    """A collected job on the same device (or on the device this one replaced)."""

    code: str
    collected_on: date
    fault: str
    parts: tuple[str, ...] = ()
    """Names of the parts replaced on it."""
    outcome: str = "repaired"
    repair_over_replacement: bool = False
    regime: Regime | None = None
    until: date | None = None
    burden_until: date | None = None


@dataclass(frozen=True)
class Decision:
    regime: Regime
    until: date | None
    burden_of_proof: Burden | None
    burden_until: date | None
    reasons: tuple[Reason, ...]
    rules: tuple[RuleTried, ...]

    @property
    def applies(self) -> bool:
        return self.regime is not Regime.NONE

    def to_json(self) -> dict[str, Any]:
        """What the job stores: the reasons and every rule tried (dates as ISO text)."""
        return {
            "reasons": [reason.to_json() for reason in self.reasons],
            "rules": [rule.to_json() for rule in self.rules],
        }


@dataclass(frozen=True)
class _Candidate:
    regime: Regime
    until: date
    burden: Burden | None
    burden_until: date | None
    reason: Reason

    @property
    def rank(self) -> int:
        if self.regime is Regime.STATUTORY:
            return 0 if self.burden is Burden.SELLER else 3
        return 1 if self.regime is Regime.REPAIR_WARRANTY else 2


def _burden(until: date | None, today: date) -> Burden:
    return Burden.SELLER if until is not None and today <= until else Burden.CUSTOMER


def _manufacturer(
    today: date, device: DeviceFacts, rules: WarrantyRules
) -> tuple[RuleTried, _Candidate | None]:
    months = rules.manufacturer_months_for(device.brand, device.device_type)
    brand = device.brand
    if months <= 0:
        why = reason(N_("The shop counts no manufacturer's warranty for {brand}."), brand=brand)
        return RuleTried(Rule.MANUFACTURER, False, None, why), None
    if device.purchase_date is None:
        why = reason(
            N_("The manufacturer's warranty runs from the purchase date, which was not given.")
        )
        return RuleTried(Rule.MANUFACTURER, False, None, why), None
    purchased = device.purchase_date
    until = add_months(purchased, months)
    if not device.proof_of_purchase.strip():
        why = reason(
            N_(
                "The {brand} warranty would run until {until}, but it needs a proof of "
                "purchase and none was presented."
            ),
            brand=brand,
            until=until,
        )
        return RuleTried(Rule.MANUFACTURER, False, until, why), None
    if today > until:
        why = reason(
            N_("The {brand} warranty ({months} months from {purchased}) ended on {until}."),
            brand=brand,
            months=months,
            purchased=purchased,
            until=until,
        )
        return RuleTried(Rule.MANUFACTURER, False, until, why), None
    why = reason(
        N_(
            "The {brand} warranty runs {months} months from the purchase on {purchased}, "
            "until {until}, and a proof of purchase was presented."
        ),
        brand=brand,
        months=months,
        purchased=purchased,
        until=until,
    )
    return (
        RuleTried(Rule.MANUFACTURER, True, until, why),
        _Candidate(Regime.MANUFACTURER, until, None, None, why),
    )


def _statutory(
    today: date, device: DeviceFacts, rules: WarrantyRules, earlier: Sequence[EarlierJob]
) -> tuple[RuleTried, _Candidate | None]:
    if not device.sold_by_us:
        why = reason(
            N_("The shop did not sell this device, so the seller's liability is not ours.")
        )
        return RuleTried(Rule.STATUTORY, False, None, why), None
    if rules.statutory_months <= 0:
        why = reason(N_("The shop's settings count no statutory liability period."))
        return RuleTried(Rule.STATUTORY, False, None, why), None
    if device.purchase_date is None:
        why = reason(N_("The shop sold this device, but the delivery date was not given."))
        return RuleTried(Rule.STATUTORY, False, None, why), None
    delivered = device.purchase_date
    until = add_months(delivered, rules.statutory_months)
    extended_by = next(
        (
            job
            for job in earlier
            if job.repair_over_replacement
            and job.regime is Regime.STATUTORY
            and job.collected_on <= until
        ),
        None,
    )
    if extended_by is not None and rules.repair_extension_months > 0:
        until = add_months(until, rules.repair_extension_months)
        why = reason(
            N_(
                "We sold this device, delivered on {delivered}: our liability runs until "
                "{until}, extended by {months} months because the customer chose repair over "
                "replacement on job {code}."
            ),
            delivered=delivered,
            until=until,
            months=rules.repair_extension_months,
            code=extended_by.code,
        )
    else:
        why = reason(
            N_(
                "We sold this device, delivered on {delivered}: our liability as the seller "
                "runs until {until}."
            ),
            delivered=delivered,
            until=until,
        )
    if today > until:
        why = reason(
            N_("Our liability as the seller for the delivery on {delivered} ended on {until}."),
            delivered=delivered,
            until=until,
        )
        return RuleTried(Rule.STATUTORY, False, until, why), None
    burden_until = add_months(delivered, rules.burden_months) if rules.burden_months else None
    burden = _burden(burden_until, today)
    if burden is Burden.SELLER and burden_until is not None:
        why += reason(
            N_("Until {burden_until} the shop must prove the defect was not there at delivery."),
            burden_until=burden_until,
        )
    else:
        why += reason(N_("The customer must show the defect was there at delivery."))
    return (
        RuleTried(Rule.STATUTORY, True, until, why),
        _Candidate(Regime.STATUTORY, until, burden, burden_until, why),
    )


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def _matches(job: EarlierJob, fault: str, repeat_of: str | None) -> Reason | None:
    if repeat_of is not None and job.code == repeat_of:
        return reason(N_("The clerk says the fault repaired on job {code} is back."), code=job.code)
    if _normalised(job.fault) == _normalised(fault):
        return reason(N_("The same fault as on job {code}."), code=job.code)
    for part in job.parts:
        if part.strip() and _normalised(part) in _normalised(fault):
            return reason(
                N_("The fault names {part}, which we replaced on job {code}."),
                code=job.code,
                part=part,
            )
    return None


def _repair_warranty(
    today: date,
    fault: str,
    rules: WarrantyRules,
    earlier: Sequence[EarlierJob],
    repeat_of: str | None,
) -> tuple[list[RuleTried], _Candidate | None]:
    tried: list[RuleTried] = []
    best: _Candidate | None = None
    if not earlier:
        why = reason(N_("We have not repaired this device before."))
        return [RuleTried(Rule.REPAIR_WARRANTY, False, None, why)], None
    for job in earlier:
        if job.outcome == "returned_unrepaired":
            why = reason(
                N_("Job {code} returned the device unrepaired: no repair to warrant."),
                code=job.code,
            )
            tried.append(RuleTried(Rule.REPAIR_WARRANTY, False, None, why))
            continue
        carried = job.until if job.regime is Regime.REPAIR_WARRANTY else None
        until = carried or job.collected_on + timedelta(days=rules.repair_days)
        match = _matches(job, fault, repeat_of)
        if match is None:
            why = reason(
                N_(
                    "Job {code} (collected on {collected}) fixed another fault; if the same "
                    "fault is back, name that job at intake."
                ),
                code=job.code,
                collected=job.collected_on,
            )
            tried.append(RuleTried(Rule.REPAIR_WARRANTY, False, until, why))
            continue
        if today > until:
            why = match + reason(
                N_("Our warranty on job {code} ended on {until}."), code=job.code, until=until
            )
            tried.append(RuleTried(Rule.REPAIR_WARRANTY, False, until, why))
            continue
        if carried:
            why = match + reason(
                N_(
                    "Our warranty on job {code} runs until {until}, the end it carried from "
                    "the first repair: a re-repair does not start it again."
                ),
                code=job.code,
                until=until,
            )
        else:
            why = match + reason(
                N_(
                    "Our warranty on job {code} runs from its collection on {collected} until "
                    "{until}."
                ),
                code=job.code,
                collected=job.collected_on,
                until=until,
            )
        tried.append(RuleTried(Rule.REPAIR_WARRANTY, True, until, why))
        if best is None or until > best.until:
            best = _Candidate(Regime.REPAIR_WARRANTY, until, None, None, why)
    return tried, best


def _replacement(today: date, replaced: EarlierJob) -> tuple[RuleTried, _Candidate | None]:
    regime, until = replaced.regime, replaced.until
    if regime is None or regime is Regime.NONE or until is None:
        why = reason(
            N_("This device replaced the one on job {code}, which had no warranty left."),
            code=replaced.code,
        )
        return RuleTried(Rule.REPLACEMENT, False, None, why), None
    if today > until:
        why = reason(
            N_("This device replaced the one on job {code}; what it inherited ended on {until}."),
            code=replaced.code,
            until=until,
        )
        return RuleTried(Rule.REPLACEMENT, False, until, why), None
    why = reason(
        N_(
            "This device replaced the one on job {code} and inherits what was left of its "
            "warranty ({regime}), until {until}."
        ),
        code=replaced.code,
        regime=regime.value,
        until=until,
    )
    burden = _burden(replaced.burden_until, today) if regime is Regime.STATUTORY else None
    return (
        RuleTried(Rule.REPLACEMENT, True, until, why),
        _Candidate(regime, until, burden, replaced.burden_until, why),
    )


_CHOSEN: dict[int, str] = {
    0: N_(
        "Chosen as best for the customer: the seller's liability gives the strongest rights "
        "and the customer has nothing to prove."
    ),
    1: N_(
        "Chosen as best for the customer: our own repair failed, so we redo it free of "
        "charge without sending the device away."
    ),
    2: N_("Chosen as best for the customer: the brand's service repairs it free of charge."),
    3: N_(
        "Chosen as best for the customer: the seller's liability still runs, though the "
        "customer must show the defect was there at delivery."
    ),
}


def decide(
    today: date,
    device: DeviceFacts,
    rules: WarrantyRules,
    *,
    fault: str = "",
    earlier: Sequence[EarlierJob] = (),
    repeat_of: str | None = None,
    replaced: EarlierJob | None = None,
) -> Decision:
    """The one regime that covers the device today, with every rule tried (see the module)."""
    tried: list[RuleTried] = []
    candidates: list[_Candidate] = []
    for rule, candidate in (
        _manufacturer(today, device, rules),
        _statutory(today, device, rules, earlier),
    ):
        tried.append(rule)
        candidates += [candidate] if candidate else []
    repair_rules, candidate = _repair_warranty(today, fault, rules, earlier, repeat_of)
    tried += repair_rules
    candidates += [candidate] if candidate else []
    if replaced is not None:
        rule, candidate = _replacement(today, replaced)
        tried.append(rule)
        candidates += [candidate] if candidate else []
    if not candidates:
        none = reason(N_("No warranty applies: the repair is paid."))
        return Decision(
            Regime.NONE,
            None,
            None,
            None,
            (none, *(rule.reason for rule in tried)),
            tuple(tried),
        )
    best = min(candidates, key=lambda c: (c.rank, -c.until.toordinal()))
    others = [c for c in candidates if c is not best]
    reasons = [best.reason]
    if others:
        reasons.append(reason(_CHOSEN[best.rank]))
    reasons += [
        reason(
            N_("Also applies: {regime} until {until}."),
            regime=other.regime.value,
            until=other.until,
        )
        for other in others
    ]
    return Decision(
        best.regime, best.until, best.burden, best.burden_until, tuple(reasons), tuple(tried)
    )
