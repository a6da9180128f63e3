"""The price list of services: labour items such as a screen replacement or a diagnosis.

A service is for every device, or only for one device type and/or brand (a screen
replacement for an iPhone 13 is not a laptop's). Its price is entered with or without
VAT as the shop's ``prices.include_vat`` says when it is added, and its VAT rate is its
own or the shop's default rate.

The price list is the shop's prices: adding or changing a service is for a role with
:attr:`~repairshop.domain.roles.Permission.EDIT_PRICES` (managers, administrators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select

from repairshop.db.tables import ServiceItem
from repairshop.domain.devices import parse_device_type
from repairshop.domain.money import from_minor, to_minor
from repairshop.domain.roles import Permission
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.pricing import basis_points, rate_from_basis_points
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.tax import tax_settings
from repairshop.services.shop.users import require_permission
from repairshop.services.uow import UnitOfWork

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/+-]{0,31}$")


def normalise_service_code(text: str) -> str:
    code = text.strip().upper()
    if not _CODE.match(code):
        raise ValidationError(
            _(
                "“{code}” is not a service code: use letters, digits and . _ / + - "
                "(at most 32 characters)."
            ).format(code=text.strip()),
            field="code",
        )
    return code


@dataclass(frozen=True)
class ServiceInput:
    code: str
    name: str
    price: Decimal
    vat_rate: Decimal | None = None
    """``None``: the shop's default rate, whatever it is when the service is used."""
    device_type: str | None = None
    brand: str | None = None


@dataclass(frozen=True)
class ServiceView:
    id: int
    code: str
    name: str
    price: Decimal
    currency: str
    vat_rate: Decimal | None
    price_includes_vat: bool
    device_type: str | None
    brand: str | None


def _view(item: ServiceItem) -> ServiceView:
    return ServiceView(
        id=item.id,
        code=item.code,
        name=item.name,
        price=from_minor(item.price_minor, item.currency),
        currency=item.currency,
        vat_rate=None if item.vat_rate_bp is None else rate_from_basis_points(item.vat_rate_bp),
        price_includes_vat=item.price_includes_vat,
        device_type=item.device_type,
        brand=item.brand,
    )


def _check_fields(data: ServiceInput) -> tuple[str, str | None, str | None]:
    """The service's name, device type key and brand, or a refusal naming the bad field."""
    name = data.name.strip()
    if not name:
        raise ValidationError(_("A service needs a name."), field="name")
    if data.price < 0:
        raise ValidationError(
            _("An amount cannot be negative: {value}.").format(value=data.price), field="price"
        )
    device_type = parse_device_type(data.device_type).value if data.device_type else None
    return name, device_type, (data.brand or "").strip() or None


def add_service(uow: UnitOfWork, data: ServiceInput, actor: str) -> ServiceView:
    """A new service on the price list; a code already on it is refused."""
    require_permission(uow, actor, Permission.EDIT_PRICES)
    code = normalise_service_code(data.code)
    if uow.session.scalar(select(ServiceItem.id).where(ServiceItem.code == code)) is not None:
        raise ValidationError(
            _("A service with code “{code}” is already on the price list.").format(code=code),
            field="code",
        )
    name, device_type, brand = _check_fields(data)
    currency = get_settings(uow).currency
    item = ServiceItem(
        code=code,
        name=name,
        price_minor=to_minor(data.price, currency),
        currency=currency,
        vat_rate_bp=None if data.vat_rate is None else basis_points(data.vat_rate),
        price_includes_vat=tax_settings(uow).prices_include_vat,
        device_type=device_type,
        brand=brand,
        active=True,
        created_at=uow.now(),
    )
    uow.session.add(item)
    uow.flush()
    return _view(item)


def update_service(uow: UnitOfWork, data: ServiceInput, actor: str) -> ServiceView:
    """New name, price, VAT rate, device type or brand for the service ``data.code``.

    The price is taken as the shop enters prices now (with or without VAT). Lines already
    on jobs keep the description and price they were added with.
    """
    require_permission(uow, actor, Permission.EDIT_PRICES)
    item = get_service(uow, data.code)
    name, device_type, brand = _check_fields(data)
    item.name = name
    item.price_minor = to_minor(data.price, item.currency)
    item.vat_rate_bp = None if data.vat_rate is None else basis_points(data.vat_rate)
    item.price_includes_vat = tax_settings(uow).prices_include_vat
    item.device_type = device_type
    item.brand = brand
    uow.flush()
    return _view(item)


def service_changes(_view: ServiceView | None = None) -> Changes:
    """What a change to the price list touches: the price list, and what offers its services."""
    return Changes(kinds=frozenset({ChangeKind.PRICE_LIST}))


def get_service(uow: UnitOfWork, code: str) -> ServiceItem:
    item = uow.session.scalar(select(ServiceItem).where(ServiceItem.code == code.strip().upper()))
    if item is None or not item.active:
        raise NotFound(
            _("There is no service “{code}” on the price list.").format(code=code.strip())
        )
    return item


def show_service(uow: UnitOfWork, code: str) -> ServiceView:
    return _view(get_service(uow, code))


def list_services(
    uow: UnitOfWork, *, device_type: str | None = None, brand: str | None = None
) -> list[ServiceView]:
    """The price list; with a device type or brand, the services that fit such a device."""
    query = select(ServiceItem).where(ServiceItem.active.is_(True))
    if device_type:
        key = parse_device_type(device_type).value
        query = query.where(or_(ServiceItem.device_type.is_(None), ServiceItem.device_type == key))
    if brand and brand.strip():
        query = query.where(
            or_(ServiceItem.brand.is_(None), ServiceItem.brand.ilike(brand.strip()))
        )
    return [_view(item) for item in uow.session.scalars(query.order_by(ServiceItem.code))]


def fits_device(item: ServiceItem, device_type: str, brand: str) -> bool:
    """Whether a service is for this device: its type and brand, where the service names one."""
    if item.device_type is not None and item.device_type != device_type:
        return False
    return item.brand is None or item.brand.casefold() == brand.strip().casefold()


def service_to_json(view: ServiceView) -> dict[str, object]:
    return {
        "code": view.code,
        "name": view.name,
        "price": str(view.price),
        "currency": view.currency,
        "vat_rate": None if view.vat_rate is None else str(view.vat_rate),
        "price_includes_vat": view.price_includes_vat,
        "device_type": view.device_type,
        "brand": view.brand,
    }
