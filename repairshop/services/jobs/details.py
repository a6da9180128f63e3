"""Correcting the customer's and the device's details after intake.

A clerk mistyped the phone number, the customer gave a new e-mail, the IMEI was
read off the wrong sticker: the job card corrects them. The same checks as at
intake apply (a real IMEI, a phone number in the shop's region, one of the
languages the shop prints in), and every change is an ``edited`` event in the
job's history with the old and the new value, like any other edit.

The customer's contacts belong to the customer, so a corrected phone number is
the customer's number on every job; likewise the device is one record across its visits
(intake finds it again by serial or IMEI), so a corrected serial is the device's on every job.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm.attributes import flag_modified

from repairshop.domain.contacts import normalise_email, normalise_phone
from repairshop.domain.devices import normalise_imei, normalise_serial, parse_device_type
from repairshop.errors import ValidationError
from repairshop.i18n import _
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.jobs.intake import check_customer_language, require_text, yes_no
from repairshop.services.jobs.search import refresh_search_text
from repairshop.services.jobs.sort_keys import refresh_sort_keys
from repairshop.services.jobs.workflow import (
    JobChanged,
    check_version,
    job_changes,
    load_job,
    record_event,
    refuse_if_collected,
)
from repairshop.services.shop.settings import get_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

_SEARCHED = frozenset(
    {"customer.name", "customer.phone", "customer.email", "device.serial", "device.imei",
     "device.brand", "device.model"}
)  # fmt: skip
"""The corrected fields a job is found by."""
_SORTED = frozenset({"customer.name", "device.type", "device.brand", "device.model"})
"""The corrected fields the job list sorts by (copied onto every job of the customer or device)."""


@dataclass(frozen=True)
class DetailsEdit:
    """New values from the card; ``None`` leaves a field as it is, ``""`` clears an optional one."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    consent_to_contact: bool | None = None
    device_type: str | None = None
    brand: str | None = None
    model: str | None = None
    serial: str | None = None
    imei: str | None = None
    colour: str | None = None


def edit_details(
    uow: UnitOfWork, code: str, edit: DetailsEdit, actor: str, *, expected_version: int | None
) -> JobChanged:
    """Apply ``edit`` to the job's customer and device; refused input changes nothing."""
    user = get_user(uow, actor)
    job = load_job(uow, code)
    check_version(job, expected_version)
    refuse_if_collected(job)
    customer, device = job.customer, job.device
    region = get_settings(uow).region
    wanted: dict[str, tuple[object, str, str | None]] = {}
    """Field → (owner, attribute, new value); checked in full before anything is changed."""
    if edit.name is not None:
        wanted["customer.name"] = (customer, "name", require_text(edit.name, "customer.name"))
    if edit.phone is not None:
        wanted["customer.phone"] = (customer, "phone", normalise_phone(edit.phone, region))
    if edit.email is not None:
        wanted["customer.email"] = (customer, "email", normalise_email(edit.email))
    if edit.language is not None:
        wanted["customer.language"] = (customer, "language", check_customer_language(edit.language))
    if edit.device_type is not None:
        wanted["device.type"] = (device, "device_type", parse_device_type(edit.device_type).value)
    if edit.brand is not None:
        wanted["device.brand"] = (device, "brand", require_text(edit.brand, "device.brand"))
    if edit.model is not None:
        wanted["device.model"] = (device, "model", require_text(edit.model, "device.model"))
    if edit.serial is not None:
        wanted["device.serial"] = (device, "serial", normalise_serial(edit.serial) or None)
    if edit.imei is not None:
        wanted["device.imei"] = (device, "imei", normalise_imei(edit.imei))
    if edit.colour is not None:
        wanted["device.colour"] = (device, "colour", edit.colour.strip())

    phone = wanted["customer.phone"][2] if "customer.phone" in wanted else customer.phone
    email = wanted["customer.email"][2] if "customer.email" in wanted else customer.email
    if not phone and not email:
        raise ValidationError(
            _("Give the customer's phone number or e-mail so the shop can reach them."),
            field="customer.phone",
        )

    changed = customer_changed = False
    for field, (owner, attribute, value) in wanted.items():
        old = getattr(owner, attribute)
        if old == value:
            continue
        setattr(owner, attribute, value)
        record_event(job, uow, user, "edited", from_value=old, to_value=value, note=field)
        changed = True
        customer_changed = customer_changed or owner is customer
    if edit.consent_to_contact is not None and edit.consent_to_contact != (
        customer.consent_to_contact
    ):
        old_consent = customer.consent_to_contact
        customer.consent_to_contact = edit.consent_to_contact
        customer.consent_changed_at = uow.now()
        customer.consent_changed_by = user.login
        record_event(
            job,
            uow,
            user,
            "edited",
            from_value=yes_no(old_consent),
            to_value=yes_no(edit.consent_to_contact),
            note="customer.consent_to_contact",
        )
        changed = customer_changed = True
    if not changed:
        return JobChanged(job.code, job.version, Changes())
    # Only the customer's and device's rows changed: the job row must still get a new
    # version, so that a card opened before this edit cannot save over it.
    flag_modified(job, "updated_at")
    uow.flush()
    if any(field in _SEARCHED for field in wanted):
        refresh_search_text(uow, customer, device)
    if any(field in _SORTED for field in wanted):
        refresh_sort_keys(uow, customer_ids=(customer.id,), device_ids=(device.id,))
    changes = job_changes(job)
    if customer_changed:  # the customer's other jobs show the same name and contacts
        changes |= Changes(kinds=frozenset({ChangeKind.CUSTOMER}), customer_ids=(customer.id,))
    return JobChanged(job.code, job.version, changes)
