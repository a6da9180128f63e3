"""The shop's rules by key: national defaults, the shop's own values, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from repairshop.errors import ValidationError
from repairshop.services.database import Database
from repairshop.services.shop.settings import all_settings, get_rules, get_settings, set_setting


def put(db: Database, key: str, value: str) -> None:
    with db.unit_of_work() as uow:
        set_setting(uow, key, value, "admin")
        uow.commit()


def shown(db: Database) -> dict[str, tuple[str, bool]]:
    with db.reader() as uow:
        return {item.key: (item.value, item.is_default) for item in all_settings(uow)}


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("CZ", (30, 12, 90, "21")),
        ("PL", (14, 24, 90, "23")),
        ("HU", (15, 12, 180, "27")),
        ("DE", (30, 12, 730, "19")),
        ("RU", (45, 0, 90, "22")),
    ],
)
def test_the_country_picks_the_defaults(
    db: Database, country: str, expected: tuple[int, int, int, str]
) -> None:
    decide_days, burden, repair_days, tax = expected
    put(db, "shop.country", country)
    with db.reader() as uow:
        rules = get_rules(uow)
    assert rules.country == country
    assert rules.complaint_decide_days == decide_days
    assert rules.burden_months == burden
    assert rules.repair_days == repair_days
    assert rules.tax_default_rate == Decimal(tax)
    assert rules.prices_include_vat is True
    assert shown(db)["complaint.decide_days"] == (str(decide_days), True)


def test_the_shops_own_value_stays_when_the_country_changes(db: Database) -> None:
    put(db, "complaint.decide_days", "21")
    put(db, "tax.default_rate", "12,5")
    put(db, "complaint.working_days", "yes")
    put(db, "shop.country", "PL")
    values = shown(db)
    assert values["complaint.decide_days"] == ("21", False)
    assert values["tax.default_rate"] == ("12.5", False)
    assert values["complaint.working_days"] == ("true", False)
    assert values["warranty.burden_months"] == ("24", True)


def test_a_period_per_brand_and_device_type(db: Database) -> None:
    put(db, "warranty.manufacturer_months.Apple", "12")
    put(db, "warranty.manufacturer_months.Apple.laptop", "36")
    with db.reader() as uow:
        rules = get_rules(uow).warranty_rules()
    assert rules.manufacturer_months_for("apple", "laptop") == 36
    assert rules.manufacturer_months_for("Apple", "phone") == 12
    assert rules.manufacturer_months_for("Samsung", "phone") == 24


def test_the_shops_details_are_set_by_key_too(db: Database) -> None:
    put(db, "currency", "czk")
    put(db, "receipt_terms.cs", "Vlastní podmínky")
    with db.reader() as uow:
        settings = get_settings(uow)
    assert settings.currency == "CZK"
    assert settings.receipt_terms == {"cs": "Vlastní podmínky"}
    assert shown(db)["currency"] == ("CZK", False)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("warranty.nothing", "1", "There is no setting"),
        ("warranty.manufacturer_months.", "1", "Name the brand"),
        ("warranty.repair_days", "-1", "a whole number from 0 to 3650"),
        ("tax.default_rate", "21.555", "a percentage"),
        ("prices.include_vat", "sometimes", "true or false"),
        ("shop.country", "FR", "RepairShop knows the rules of"),
        ("currency", "EURO", "not a currency code"),
        ("receipt_terms.xx", "text", "There is no setting"),
    ],
)
def test_an_unknown_key_or_a_bad_value_changes_nothing(
    db: Database, key: str, value: str, message: str
) -> None:
    before = shown(db)
    with db.unit_of_work() as uow, pytest.raises(ValidationError, match=message):
        set_setting(uow, key, value, "admin")
    assert shown(db) == before
