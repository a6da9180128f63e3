"""The warranty decision, pure: each case of the counter with a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from repairshop.domain.national_rules import NATIONAL_RULES
from repairshop.domain.warranty import (
    Burden,
    DeviceFacts,
    EarlierJob,
    Regime,
    Rule,
    WarrantyRules,
    add_months,
    decide,
)

TODAY = date(2026, 3, 10)


def national(country: str) -> WarrantyRules:
    rules = NATIONAL_RULES[country]
    return WarrantyRules(
        manufacturer_months=rules.manufacturer_months,
        statutory_months=rules.statutory_months,
        burden_months=rules.burden_months,
        repair_extension_months=rules.repair_extension_months,
        repair_days=rules.repair_days,
    )


CZ, PL = national("CZ"), national("PL")


def phone(
    purchased: date | None, *, proof: str = "", sold_by_us: bool = False, brand: str = "Samsung"
) -> DeviceFacts:
    return DeviceFacts(brand, "phone", purchased, proof, sold_by_us)


def rule(decision_rules: object, key: Rule) -> list[object]:
    return [r for r in decision_rules if r.rule is key]  # type: ignore[attr-defined]


def test_inside_the_manufacturer_period_with_a_proof_of_purchase() -> None:
    decision = decide(TODAY, phone(date(2025, 6, 1), proof="Alza invoice 2506"), CZ)
    assert decision.regime is Regime.MANUFACTURER
    assert decision.until == date(2027, 6, 1)
    assert decision.burden_of_proof is None
    assert "Samsung warranty runs 24 months" in decision.reasons[0].render("en")


def test_outside_the_manufacturer_period_nothing_applies() -> None:
    decision = decide(TODAY, phone(date(2023, 12, 1), proof="receipt"), CZ)
    assert decision.regime is Regime.NONE
    assert decision.until is None
    assert decision.burden_of_proof is None
    [tried] = rule(decision.rules, Rule.MANUFACTURER)
    assert not tried.applies  # type: ignore[attr-defined]
    assert "ended on 01/12/2025" in tried.reason.render("en")  # type: ignore[attr-defined]


def test_no_proof_of_purchase_no_manufacturer_warranty() -> None:
    decision = decide(TODAY, phone(date(2025, 6, 1)), CZ)
    assert decision.regime is Regime.NONE
    assert "needs a proof of purchase" in decision.rules[0].reason.render("en")


def test_the_brand_and_device_type_period_wins_over_the_brand_and_the_default() -> None:
    rules = WarrantyRules(
        manufacturer_months=24, manufacturer_months_by={"apple": 12, "apple.laptop": 36}
    )
    bought = date(2025, 1, 15)
    laptop = DeviceFacts("Apple", "laptop", bought, "receipt")
    assert decide(TODAY, laptop, rules).until == date(2028, 1, 15)
    assert decide(TODAY, phone(bought, proof="r", brand="APPLE"), rules).regime is Regime.NONE
    assert decide(TODAY, phone(bought, proof="r"), rules).until == date(2027, 1, 15)


def test_statutory_only_when_we_sold_it_without_a_proof_for_the_manufacturer() -> None:
    decision = decide(TODAY, phone(date(2025, 6, 1), sold_by_us=True), CZ)
    assert decision.regime is Regime.STATUTORY
    assert decision.until == date(2027, 6, 1)
    assert decision.burden_of_proof is Burden.SELLER


@pytest.mark.parametrize(
    ("rules", "delivered", "burden"),
    [
        (CZ, date(2025, 6, 1), Burden.SELLER),  # first year in Czechia
        (CZ, date(2024, 11, 1), Burden.CUSTOMER),  # second year in Czechia
        (PL, date(2025, 6, 1), Burden.SELLER),  # first year in Poland
        (PL, date(2024, 11, 1), Burden.SELLER),  # second year in Poland: still the seller
    ],
)
def test_the_burden_of_proof_in_the_first_and_second_year(
    rules: WarrantyRules, delivered: date, burden: Burden
) -> None:
    decision = decide(TODAY, phone(delivered, sold_by_us=True), rules)
    assert decision.regime is Regime.STATUTORY
    assert decision.until == add_months(delivered, 24)
    assert decision.burden_of_proof is burden


def test_the_liability_ends_after_two_years() -> None:
    decision = decide(TODAY, phone(date(2024, 3, 9), sold_by_us=True), PL)
    assert decision.regime is Regime.NONE
    assert "ended on 09/03/2026" in decision.rules[1].reason.render("en")


def test_twelve_more_months_after_the_customer_chose_repair_over_replacement() -> None:
    delivered = date(2023, 11, 20)  # two years ended on 2025-11-20
    earlier = EarlierJob(
        "R000007",
        date(2024, 5, 2),
        "Battery swells",
        outcome="repaired",
        repair_over_replacement=True,
        regime=Regime.STATUTORY,
        until=date(2025, 11, 20),
    )
    device = phone(delivered, sold_by_us=True)
    decision = decide(TODAY, device, CZ, fault="Does not charge", earlier=[earlier])
    assert decision.regime is Regime.STATUTORY
    assert decision.until == date(2026, 11, 20)
    assert decision.burden_of_proof is Burden.CUSTOMER
    assert "extended by 12 months" in decision.reasons[0].render("en")
    without = decide(TODAY, device, CZ, fault="Does not charge")
    assert without.regime is Regime.NONE


def _repair(code: str, collected: date, fault: str, **kw: object) -> EarlierJob:
    return EarlierJob(code, collected, fault, ("Display assembly Galaxy S23",), **kw)  # type: ignore[arg-type]


def test_a_repeat_fault_inside_our_repair_warranty() -> None:
    earlier = [_repair("R000010", date(2026, 1, 20), "Cracked screen")]
    decision = decide(TODAY, phone(None), CZ, fault="cracked  SCREEN", earlier=earlier)
    assert decision.regime is Regime.REPAIR_WARRANTY
    assert decision.until == date(2026, 4, 20)
    assert "same fault as on job R000010" in decision.reasons[0].render("en")


def test_the_clerk_names_the_earlier_job_when_the_fault_reads_differently() -> None:
    earlier = [_repair("R000010", date(2026, 1, 20), "Cracked screen")]
    device = phone(None)
    assert decide(TODAY, device, CZ, fault="Lines on display", earlier=earlier).regime is (
        Regime.NONE
    )
    decision = decide(
        TODAY, device, CZ, fault="Lines on display", earlier=earlier, repeat_of="R000010"
    )
    assert decision.regime is Regime.REPAIR_WARRANTY


def test_a_part_we_replaced_named_in_the_fault() -> None:
    earlier = [_repair("R000010", date(2026, 1, 20), "Cracked screen")]
    fault = "The display assembly galaxy s23 flickers"
    assert decide(TODAY, phone(None), CZ, fault=fault, earlier=earlier).regime is (
        Regime.REPAIR_WARRANTY
    )


def test_the_repair_warranty_ends_and_a_re_repair_never_resets_it() -> None:
    first = _repair("R000010", date(2025, 12, 1), "Cracked screen")
    late = decide(TODAY, phone(None), CZ, fault="Cracked screen", earlier=[first])
    assert late.regime is Regime.NONE  # 90 days ended on 2026-03-01
    again = _repair(
        "R000020",
        date(2026, 2, 1),
        "Cracked screen",
        regime=Regime.REPAIR_WARRANTY,
        until=date(2026, 3, 1),
    )
    decision = decide(TODAY, phone(None), CZ, fault="Cracked screen", earlier=[first, again])
    assert decision.regime is Regime.NONE
    [_, second] = rule(decision.rules, Rule.REPAIR_WARRANTY)
    assert second.until == date(2026, 3, 1)  # type: ignore[attr-defined]


def test_a_replacement_device_inherits_what_was_left() -> None:
    replaced = EarlierJob(
        "R000030",
        date(2026, 1, 5),
        "Dead on arrival",
        outcome="replaced",
        regime=Regime.STATUTORY,
        until=date(2027, 9, 1),
        burden_until=date(2026, 9, 1),
    )
    decision = decide(TODAY, phone(None), CZ, fault="No sound", replaced=replaced)
    assert decision.regime is Regime.STATUTORY
    assert decision.until == date(2027, 9, 1)
    assert decision.burden_of_proof is Burden.SELLER
    assert "inherits what was left" in decision.reasons[0].render("en")


def test_no_purchase_date_no_warranty_and_every_rule_says_why() -> None:
    decision = decide(TODAY, phone(None, proof="receipt", sold_by_us=True), CZ)
    assert decision.regime is Regime.NONE
    assert [r.rule for r in decision.rules] == [
        Rule.MANUFACTURER,
        Rule.STATUTORY,
        Rule.REPAIR_WARRANTY,
    ]
    assert not any(r.applies for r in decision.rules)
    texts = [r.reason.render("en") for r in decision.rules]
    assert "purchase date, which was not given" in texts[0]
    assert "delivery date was not given" in texts[1]


def test_when_several_apply_the_seller_liability_comes_first_and_the_others_are_named() -> None:
    decision = decide(TODAY, phone(date(2025, 6, 1), proof="receipt", sold_by_us=True), CZ)
    assert decision.regime is Regime.STATUTORY
    assert sum(r.applies for r in decision.rules) == 2
    rendered = [reason.render("en") for reason in decision.reasons]
    assert rendered[1].startswith("Chosen as best for the customer")
    assert rendered[2] == "Also applies: Manufacturer's warranty until 01/06/2027."


def test_our_repair_warranty_comes_before_the_manufacturer() -> None:
    earlier = [_repair("R000010", date(2026, 2, 1), "Cracked screen")]
    device = phone(date(2025, 6, 1), proof="receipt")
    decision = decide(TODAY, device, CZ, fault="Cracked screen", earlier=earlier)
    assert decision.regime is Regime.REPAIR_WARRANTY


@pytest.mark.parametrize(
    ("language", "words"),
    [("cs", "odpovědnost prodávajícího za vady"), ("pl", "rękojmi"), ("de", "Gewährleistung")],
)
def test_the_reasons_read_in_the_language_asked_for(language: str, words: str) -> None:
    decision = decide(TODAY, phone(date(2025, 6, 1), proof="receipt", sold_by_us=True), CZ)
    text = " ".join(reason.render(language) for reason in decision.reasons)
    assert words.casefold() in text.casefold()


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 1, 31), 13, date(2026, 2, 28)),
    ],
)
def test_months_end_on_the_same_day_or_the_months_last(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end
