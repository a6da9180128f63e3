"""Shop settings: who the shop is, its logo, currency and region, promised days, receipt terms,
and the rules its country brings (warranty, liability, complaints, tax), each one changeable.

Everything is a key/value row of the ``settings`` table; :func:`all_settings` lists every key
with its value and whether it is a default, :func:`set_setting` changes one, checked.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from babel.numbers import UnknownCurrencyError, get_currency_name
from sqlalchemy import delete, select

from repairshop.db.tables import Setting
from repairshop.domain.codes import DEFAULT_PREFIX, check_prefix
from repairshop.domain.complaints import ComplaintRules
from repairshop.domain.devices import DeviceType
from repairshop.domain.evidence import DEFAULT_CHECKLISTS, parse_checklist
from repairshop.domain.national_rules import DEFAULT_COUNTRY, NATIONAL_RULES, NationalRules
from repairshop.domain.roles import Permission, require
from repairshop.domain.text import clean_text
from repairshop.domain.warranty import WarrantyRules
from repairshop.errors import ValidationError
from repairshop.i18n import LANGUAGES, N_, _, country_language, translator
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.shop.messaging import (
    INTEGER_KEYS,
    MESSAGE_SETTINGS,
    TEMPLATE_PREFIX,
    check_message_setting,
    check_template,
    is_template_key,
)
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

DEFAULT_TERMS = N_(
    "The shop keeps the device for repair as described above. The estimate is not binding; "
    "we will ask for approval before exceeding it. Diagnosis of a device that is not repaired "
    "may be charged. Data on the device may be lost during repair: back it up. Devices not "
    "collected within 90 days of notice that they are ready may be disposed of as the law "
    "allows. Present this receipt when collecting the device."
)


@dataclass(frozen=True)
class ShopSettings:
    name: str = ""
    address: str = ""
    vat_id: str = ""
    phone: str = ""
    email: str = ""
    currency: str = "EUR"
    region: str = "CZ"
    """The country whose phone numbers may be typed without a +country code."""
    default_promised_days: int = 5
    ticket_prefix: str = DEFAULT_PREFIX
    receipt_terms: dict[str, str] = field(default_factory=dict)
    """The shop's own terms per language; a language without one gets the default text."""

    @property
    def language(self) -> str:
        """The language of the shop's country: what a new customer is spoken to in."""
        return country_language(self.region)

    def terms_for(self, language: str) -> str:
        own = self.receipt_terms.get(language, "").strip()
        return own or translator(language).gettext(DEFAULT_TERMS)

    def default_promised_date(self, today: date) -> date:
        """``default_promised_days`` after ``today``, moved off a Sunday (the shop is shut)."""
        promised = today + timedelta(days=self.default_promised_days)
        if promised.weekday() == 6:
            promised += timedelta(days=1)
        return promised


_SIMPLE_FIELDS = tuple(f.name for f in fields(ShopSettings) if f.name != "receipt_terms")
_TERMS_PREFIX = "receipt_terms."
_LOGO_KEY = "logo"
"""The receipt logo's row (base64): read only for printing, not with every other setting."""
MAX_LOGO_BYTES = 512 * 1024
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def get_settings(uow: UnitOfWork) -> ShopSettings:
    rows = dict(
        uow.session.execute(
            select(Setting.key, Setting.value).where(Setting.key != _LOGO_KEY)
        ).all()
    )
    values: dict[str, object] = {}
    for name in _SIMPLE_FIELDS:
        if name in rows:
            values[name] = int(rows[name]) if name == "default_promised_days" else rows[name]
    terms = {
        key.removeprefix(_TERMS_PREFIX): value
        for key, value in rows.items()
        if key.startswith(_TERMS_PREFIX)
    }
    return ShopSettings(**values, receipt_terms=terms)  # type: ignore[arg-type]


def get_logo(uow: UnitOfWork) -> bytes | None:
    """The PNG or JPEG every desk prints above the shop's name on receipts, if one is set."""
    stored = uow.session.scalar(select(Setting.value).where(Setting.key == _LOGO_KEY))
    return base64.b64decode(stored) if stored else None


def save_logo(uow: UnitOfWork, logo: bytes | None, actor: str) -> Changes:
    """Set the receipt logo (checked by :func:`check_logo`), or remove it with ``None``."""
    user = get_user(uow, actor)
    require(user.role, Permission.EDIT_SETTINGS, user.display_name)
    if logo is None:
        uow.session.execute(delete(Setting).where(Setting.key == _LOGO_KEY))
    else:
        value = base64.b64encode(check_logo(logo)).decode()
        uow.session.merge(Setting(key=_LOGO_KEY, value=value))
    uow.flush()
    return Changes(kinds=frozenset({ChangeKind.SETTINGS}))


def check_logo(data: bytes) -> bytes:
    """A logo the receipts can print: a PNG or JPEG of at most 512 KiB that opens."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is {size} KiB; at most {limit} KiB fits on receipts.").format(
                size=len(data) // 1024, limit=MAX_LOGO_BYTES // 1024
            ),
            field="logo",
        )
    try:
        if not data.startswith(_IMAGE_MAGIC):
            raise ValueError(data[:8])
        from reportlab.lib.utils import ImageReader  # ReportLab only when a logo is set

        width, height = ImageReader(io.BytesIO(data)).getSize()
        if width < 1 or height < 1:
            raise ValueError((width, height))
    except Exception:
        raise ValidationError(_("The logo must be a PNG or JPEG picture."), field="logo") from None
    return data


def validate_settings(settings: ShopSettings) -> ShopSettings:
    currency = settings.currency.strip().upper()
    try:
        get_currency_name(currency)
    except UnknownCurrencyError:
        raise ValidationError(
            _("“{value}” is not a currency code such as EUR or CZK.").format(value=currency),
            field="currency",
        ) from None
    if len(currency) != 3:
        raise ValidationError(
            _("“{value}” is not a currency code such as EUR or CZK.").format(value=currency),
            field="currency",
        )
    region = settings.region.strip().upper()
    if len(region) != 2 or not region.isalpha():
        raise ValidationError(
            _("The region is a two-letter country code such as CZ or DE."), field="region"
        )
    if not 0 <= settings.default_promised_days <= 365:
        raise ValidationError(
            _("Promised days must be between 0 and 365."), field="default_promised_days"
        )
    unknown = set(settings.receipt_terms) - set(LANGUAGES)
    if unknown:
        raise ValidationError(
            _("Receipt terms for an unknown language: {languages}.").format(
                languages=", ".join(sorted(unknown))
            ),
            field="receipt_terms",
        )
    return replace(
        settings,
        name=settings.name.strip(),
        currency=currency,
        region=region,
        ticket_prefix=check_prefix(settings.ticket_prefix),
    )


def save_settings(uow: UnitOfWork, settings: ShopSettings, actor: str) -> Changes:
    user = get_user(uow, actor)
    require(user.role, Permission.EDIT_SETTINGS, user.display_name)
    write_settings(uow, validate_settings(settings))
    return Changes(kinds=frozenset({ChangeKind.SETTINGS}))


def write_settings(uow: UnitOfWork, settings: ShopSettings) -> None:
    """Store every setting (no permission check: for set-up and demo data)."""
    pairs = {name: str(getattr(settings, name)) for name in _SIMPLE_FIELDS}
    pairs.update({_TERMS_PREFIX + lang: text for lang, text in settings.receipt_terms.items()})
    for key, value in pairs.items():  # a NUL or half a character pasted in is not stored
        uow.session.merge(Setting(key=key, value=clean_text(value)))
    uow.flush()


# --- The shop's rules by key: country, warranty, complaints, tax ---------------------------

COUNTRY_KEY = "shop.country"
MANUFACTURER_KEY = "warranty.manufacturer_months"
_BRAND_PREFIX = MANUFACTURER_KEY + "."
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


class SettingKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    PERCENT = "percent"
    COUNTRY = "country"


@dataclass(frozen=True)
class RuleSetting:
    """A setting whose default comes from the shop's country (see :mod:`~.national_rules`)."""

    key: str
    kind: SettingKind
    default: Callable[[NationalRules], object]
    maximum: int = 0
    minimum: int = 0


RULE_SETTINGS: tuple[RuleSetting, ...] = (
    RuleSetting(MANUFACTURER_KEY, SettingKind.INTEGER, lambda n: n.manufacturer_months, 120),
    RuleSetting(
        "warranty.statutory_months", SettingKind.INTEGER, lambda n: n.statutory_months, 120
    ),
    RuleSetting("warranty.burden_months", SettingKind.INTEGER, lambda n: n.burden_months, 120),
    RuleSetting(
        "warranty.repair_extension_months",
        SettingKind.INTEGER,
        lambda n: n.repair_extension_months,
        120,
    ),
    RuleSetting("warranty.repair_days", SettingKind.INTEGER, lambda n: n.repair_days, 3650),
    RuleSetting(
        "complaint.decide_days", SettingKind.INTEGER, lambda n: n.complaint_decide_days, 365, 1
    ),
    RuleSetting("complaint.working_days", SettingKind.BOOLEAN, lambda n: n.complaint_working_days),
    RuleSetting(
        "complaint.refund_days", SettingKind.INTEGER, lambda n: n.complaint_refund_days, 365
    ),
    RuleSetting("complaint.reply_days", SettingKind.INTEGER, lambda n: n.complaint_reply_days, 30),
    RuleSetting(
        "complaint.accepted_if_unanswered",
        SettingKind.BOOLEAN,
        lambda n: n.complaint_accepted_if_unanswered,
    ),
    RuleSetting("tax.default_rate", SettingKind.PERCENT, lambda n: n.tax_rate, 100),
    RuleSetting("prices.include_vat", SettingKind.BOOLEAN, lambda n: n.prices_include_vat),
    # Automatic backups (services/shop/auto_backup.py): the same everywhere.
    RuleSetting("backup.every_days", SettingKind.INTEGER, lambda n: 1, 30),
    RuleSetting("backup.keep", SettingKind.INTEGER, lambda n: 14, 365, 1),
    RuleSetting("backup.warn_days", SettingKind.INTEGER, lambda n: 3, 365, 1),
    # Intake evidence (services/jobs/evidence_store.py): every checklist point answered at
    # intake and again before the job is ready.
    RuleSetting("checklist.required", SettingKind.BOOLEAN, lambda n: False),
)
_CHECKLIST_PREFIX = "checklist."
"""``checklist.<device type>``: the points checked, separated by commas."""
_RULES_BY_KEY = {setting.key: setting for setting in RULE_SETTINGS}


@dataclass(frozen=True)
class ShopRules:
    """The after-sales and money rules in force: the shop's own values over its country's."""

    country: str
    manufacturer_months: int
    manufacturer_months_by: dict[str, int]
    """Per ``Brand`` or ``Brand.device_type``, as the shop typed the brand."""
    statutory_months: int
    burden_months: int
    repair_extension_months: int
    repair_days: int
    complaint_decide_days: int
    complaint_working_days: bool
    tax_default_rate: Decimal
    prices_include_vat: bool
    complaint_refund_days: int = 0
    complaint_reply_days: int = 0
    complaint_accepted_if_unanswered: bool = False

    def complaint_rules(self) -> ComplaintRules:
        return ComplaintRules(
            decide_days=self.complaint_decide_days,
            working_days=self.complaint_working_days,
            refund_days=self.complaint_refund_days,
            reply_days=self.complaint_reply_days,
            accepted_if_unanswered=self.complaint_accepted_if_unanswered,
        )

    def warranty_rules(self) -> WarrantyRules:
        return WarrantyRules(
            manufacturer_months=self.manufacturer_months,
            manufacturer_months_by={
                key.casefold(): months for key, months in self.manufacturer_months_by.items()
            },
            statutory_months=self.statutory_months,
            burden_months=self.burden_months,
            repair_extension_months=self.repair_extension_months,
            repair_days=self.repair_days,
        )


@dataclass(frozen=True)
class SettingValue:
    key: str
    value: str
    is_default: bool
    kind: SettingKind = SettingKind.TEXT

    def typed(self) -> str | int | bool:
        """The value as JSON shows it: numbers as numbers, true/false as booleans."""
        if self.kind is SettingKind.INTEGER:
            return int(self.value)
        if self.kind is SettingKind.BOOLEAN:
            return self.value == "true"
        return self.value


def _country_default(region: str) -> str:
    return region if region in NATIONAL_RULES else DEFAULT_COUNTRY


def _text_of(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _stored(uow: UnitOfWork) -> dict[str, str]:
    return dict(
        uow.session.execute(
            select(Setting.key, Setting.value).where(Setting.key != _LOGO_KEY)
        ).all()
    )


def all_settings(uow: UnitOfWork) -> list[SettingValue]:
    """Every setting with its value, and whether it is a default (the shop set none)."""
    stored = _stored(uow)
    defaults = ShopSettings()
    values = [
        SettingValue(
            name,
            stored.get(name, _text_of(getattr(defaults, name))),
            name not in stored,
            SettingKind.INTEGER if name == "default_promised_days" else SettingKind.TEXT,
        )
        for name in _SIMPLE_FIELDS
    ]
    values += [
        SettingValue(key, text, False)
        for key, text in sorted(stored.items())
        if key.startswith(_TERMS_PREFIX)
    ]
    country = stored.get(COUNTRY_KEY) or _country_default(stored.get("region", defaults.region))
    values.append(
        SettingValue(COUNTRY_KEY, country, COUNTRY_KEY not in stored, SettingKind.COUNTRY)
    )
    national = NATIONAL_RULES[country]
    for setting in RULE_SETTINGS:
        own = stored.get(setting.key)
        default = _text_of(setting.default(national))
        values.append(
            SettingValue(
                setting.key, own if own is not None else default, own is None, setting.kind
            )
        )
        if setting.key == MANUFACTURER_KEY:
            values += [
                SettingValue(key, text, False, SettingKind.INTEGER)
                for key, text in sorted(stored.items())
                if key.startswith(_BRAND_PREFIX)
            ]
    values += [
        SettingValue(
            key,
            stored.get(key, message.default),
            key not in stored,
            SettingKind.INTEGER if key in INTEGER_KEYS else SettingKind.TEXT,
        )
        for key, message in MESSAGE_SETTINGS.items()
    ]
    values += [
        SettingValue(key, text, False)
        for key, text in sorted(stored.items())
        if key.startswith(TEMPLATE_PREFIX) and text
    ]
    values += [
        SettingValue(
            _CHECKLIST_PREFIX + kind.value,
            stored.get(_CHECKLIST_PREFIX + kind.value, ", ".join(DEFAULT_CHECKLISTS[kind.value])),
            _CHECKLIST_PREFIX + kind.value not in stored,
        )
        for kind in DeviceType
    ]
    return values


def get_rules(uow: UnitOfWork) -> ShopRules:
    values = {item.key: item.value for item in all_settings(uow)}
    return ShopRules(
        country=values[COUNTRY_KEY],
        manufacturer_months=int(values[MANUFACTURER_KEY]),
        manufacturer_months_by={
            key.removeprefix(_BRAND_PREFIX): int(text)
            for key, text in values.items()
            if key.startswith(_BRAND_PREFIX)
        },
        statutory_months=int(values["warranty.statutory_months"]),
        burden_months=int(values["warranty.burden_months"]),
        repair_extension_months=int(values["warranty.repair_extension_months"]),
        repair_days=int(values["warranty.repair_days"]),
        complaint_decide_days=int(values["complaint.decide_days"]),
        complaint_working_days=values["complaint.working_days"] == "true",
        tax_default_rate=Decimal(values["tax.default_rate"]),
        prices_include_vat=values["prices.include_vat"] == "true",
        complaint_refund_days=int(values["complaint.refund_days"]),
        complaint_reply_days=int(values["complaint.reply_days"]),
        complaint_accepted_if_unanswered=values["complaint.accepted_if_unanswered"] == "true",
    )


def _bad_value(key: str, value: str, expected: str) -> ValidationError:
    return ValidationError(
        _("“{value}” is not a valid value for {key}: {expected}").format(
            value=value, key=key, expected=expected
        ),
        field=key,
    )


def _checked_rule(setting: RuleSetting, value: str) -> str:
    text = value.strip()
    if setting.kind is SettingKind.BOOLEAN:
        if text.lower() in _TRUE:
            return "true"
        if text.lower() in _FALSE:
            return "false"
        raise _bad_value(setting.key, value, _("true or false."))
    if setting.kind is SettingKind.PERCENT:
        try:
            rate = Decimal(text.replace(",", "."))
        except InvalidOperation:
            rate = Decimal(-1)
        if not rate.is_finite() or not 0 <= rate <= setting.maximum or rate != round(rate, 2):
            raise _bad_value(setting.key, value, _("a percentage from 0 to 100."))
        return format(rate.normalize(), "f")
    return _checked_whole(setting.key, text, setting.minimum, setting.maximum)


def _checked_whole(key: str, value: str, minimum: int, maximum: int) -> str:
    try:
        number = int(value.strip())
    except ValueError:
        number = minimum - 1
    if not minimum <= number <= maximum:
        raise _bad_value(
            key,
            value,
            _("a whole number from {minimum} to {maximum}.").format(
                minimum=minimum, maximum=maximum
            ),
        )
    return str(number)


def _checked_brand_key(key: str) -> str:
    """``warranty.manufacturer_months.<Brand>`` or ``….<Brand>.<device type>``."""
    rest = key.removeprefix(_BRAND_PREFIX).strip()
    brand, _dot, device_type = rest.rpartition(".")
    if not brand or device_type not in {kind.value for kind in DeviceType}:
        brand, device_type = rest, ""
    if not brand or len(brand) > 60:
        raise ValidationError(
            _("Name the brand after {prefix}, for example {example}.").format(
                prefix=_BRAND_PREFIX, example=_BRAND_PREFIX + "Samsung"
            ),
            field=key,
        )
    return _BRAND_PREFIX + brand + ("." + device_type if device_type else "")


def set_setting(uow: UnitOfWork, key: str, value: str, actor: str) -> Changes:
    """Set one setting by its key, checked; an unknown key or a bad value changes nothing."""
    user = get_user(uow, actor)
    require(user.role, Permission.EDIT_SETTINGS, user.display_name)
    key = key.strip()
    if key == COUNTRY_KEY:
        country = value.strip().upper()
        if country not in NATIONAL_RULES:
            raise _bad_value(
                key,
                value,
                _("RepairShop knows the rules of {countries}.").format(
                    countries=", ".join(sorted(NATIONAL_RULES))
                ),
            )
        text = country
    elif key in _RULES_BY_KEY:
        text = _checked_rule(_RULES_BY_KEY[key], value)
    elif key in MESSAGE_SETTINGS:
        text = check_message_setting(key, value)
    elif is_template_key(key):
        text = check_template(key, value)
    elif key.removeprefix(_CHECKLIST_PREFIX) in {kind.value for kind in DeviceType}:
        text = ", ".join(parse_checklist(value))
    elif key.startswith(_BRAND_PREFIX):
        key = _checked_brand_key(key)
        text = _checked_whole(key, value, 0, 120)
    elif key in _SIMPLE_FIELDS or (
        key.startswith(_TERMS_PREFIX) and key.removeprefix(_TERMS_PREFIX) in LANGUAGES
    ):
        current = get_settings(uow)
        if key in _SIMPLE_FIELDS:
            typed: Any = value
            if key == "default_promised_days":
                typed = int(_checked_whole(key, value, 0, 365))
            changed = validate_settings(replace(current, **{key: typed}))
            text = str(getattr(changed, key))
        else:
            language = key.removeprefix(_TERMS_PREFIX)
            changed = validate_settings(
                replace(current, receipt_terms={**current.receipt_terms, language: value})
            )
            text = changed.receipt_terms[language]
    else:
        raise ValidationError(
            _("There is no setting “{key}”; `repairshop settings show` lists them.").format(
                key=key
            ),
            field=key,
        )
    uow.session.merge(Setting(key=key, value=text))
    uow.flush()
    return Changes(kinds=frozenset({ChangeKind.SETTINGS}))


def stored_setting(uow: UnitOfWork, key: str) -> str | None:
    """One setting's stored text, or ``None`` when the shop has none (no default applied)."""
    return uow.session.scalar(select(Setting.value).where(Setting.key == key))


def stored_moment(text: str | None) -> datetime | None:
    """A moment a setting keeps (ISO text, UTC when it names no zone); ``None`` for none."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
