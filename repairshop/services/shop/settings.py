"""Shop settings: who the shop is, its logo, currency and region, promised days, receipt terms."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta

from babel.numbers import UnknownCurrencyError, get_currency_name
from reportlab.lib.utils import ImageReader
from sqlalchemy import delete, select

from repairshop.db.tables import Setting
from repairshop.domain.codes import DEFAULT_PREFIX, check_prefix
from repairshop.domain.roles import Permission, require
from repairshop.errors import ValidationError
from repairshop.i18n import LANGUAGES, N_, _, translator
from repairshop.services.changes import ChangeKind, Changes
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
    for key, value in pairs.items():
        uow.session.merge(Setting(key=key, value=value))
    uow.flush()
