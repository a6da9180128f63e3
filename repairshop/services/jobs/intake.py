"""Intake at the counter: find or create the customer, record the device, open the job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select

from repairshop.db.counters import next_value
from repairshop.db.tables import Customer, Device, Job, JobEvent
from repairshop.domain.codes import format_ticket_code, normalise_ticket_code
from repairshop.domain.complaints import parse_remedy
from repairshop.domain.contacts import (
    email_problem,
    normalise_email,
    normalise_phone,
    phone_problem,
)
from repairshop.domain.devices import (
    imei_problem,
    normalise_imei,
    normalise_serial,
    parse_device_type,
)
from repairshop.domain.evidence import PointAnswer, Stage, parse_pattern, parse_state
from repairshop.domain.folding import same_person_name
from repairshop.domain.money import parse_amount, to_minor
from repairshop.domain.payments import PaymentMethod, parse_payment_method
from repairshop.domain.roles import Permission, may
from repairshop.domain.statuses import JobStatus, JobType, parse_job_type
from repairshop.domain.text import clean_text
from repairshop.domain.warranty import Decision, DeviceFacts, decide
from repairshop.errors import NotFound, ValidationError
from repairshop.i18n import LANGUAGES, _, normalise_language
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.events import DepositChanged, JobStatusChanged
from repairshop.services.jobs.complaint_facts import complained_job, deadlines_for, store_complaint
from repairshop.services.jobs.evidence_store import (
    LoanRequest,
    lend_to,
    store_checklist,
    store_photo,
    store_signature,
)
from repairshop.services.jobs.search import search_text_for
from repairshop.services.jobs.warranty_facts import (
    check_repeat_of,
    device_ids,
    earlier_jobs,
    replaced_device,
    sold_by_us_before,
    store_decision,
)
from repairshop.services.shop.opening_hours import shop_today
from repairshop.services.shop.settings import ShopSettings, get_rules, get_settings
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork


@dataclass(frozen=True)
class CustomerInput:
    """The customer as given at intake; ``None`` for language or consent: not said (a new
    customer then gets ``language_if_new``, else the shop's language, and no consent; a
    returning one keeps theirs)."""

    name: str
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    consent_to_contact: bool | None = None
    language_if_new: str | None = None
    """The language on the form, which nobody chose: a new customer gets it, a returning
    customer's own language is never changed by it."""


@dataclass(frozen=True)
class DeviceInput:
    type: str
    brand: str
    model: str
    serial: str | None = None
    imei: str | None = None
    colour: str = ""
    sold_by_us: bool = False
    """The shop sold this device: its statutory liability as the seller applies."""
    replaces: str | None = None
    """Serial or IMEI of the device this one replaced on an earlier job."""


@dataclass(frozen=True)
class IntakeRequest:
    customer: CustomerInput
    device: DeviceInput
    fault: str
    job_type: str | None = None
    """The clerk's explicit choice; ``None`` lets the warranty decision set it."""
    accessories: tuple[str, ...] = ()
    condition: str = ""
    passcode: str = ""
    estimate: Decimal | None = None
    preapproved: Decimal | None = None
    """Up to this amount the customer agreed at intake; repair may start without asking."""
    deposit: Decimal | None = None
    deposit_method: PaymentMethod = PaymentMethod.CASH
    """How the deposit was paid: cash, card or transfer."""
    promised: date | None = None
    purchase_date: date | None = None
    proof_of_purchase: str = ""
    repair_over_replacement: bool = False
    """The customer chose repair though a replacement was due (statutory claims)."""
    repeat_of: str | None = None
    """Ticket code of an earlier job on this device whose fault (or replaced part) is back."""
    complaint_of: str | None = None
    """Ticket code of the job this intake is a complaint about."""
    remedy: str | None = None
    """What the complaining customer asks for: repair, replace, refund or discount."""
    assignee: str | None = None
    customer_id: int | None = None
    """An existing customer chosen at the counter; ``customer`` then only updates contacts."""
    new_customer: bool = False
    """The clerk said "a different person": a new customer even if the phone is known."""
    checklist: tuple[PointAnswer, ...] = ()
    """The condition checked point by point (all points when the shop requires it)."""
    pattern_lock: str = ""
    """The dots of the pattern lock in order ("1-5-9-6"), kept like the passcode."""
    signature: tuple[tuple[tuple[float, float], ...], ...] = ()
    """The customer's signature as strokes scaled to 0…1; empty when not signed on screen."""
    signature_aspect: float = 3.0
    photos: tuple[tuple[str, bytes], ...] = ()
    """Photos taken at intake: (file name, JPEG or PNG bytes)."""
    loan: LoanRequest | None = None
    """A loaner lent with the job."""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IntakeResult:
    job_id: int
    code: str
    customer_id: int
    changes: Changes


def _text(data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str | int | float):
        raise ValidationError(_("“{field}” must be text.").format(field=path), field=path)
    text = str(value).strip()
    if required and not text:
        raise ValidationError(_("“{field}” is required.").format(field=path), field=path)
    return text


def _object(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ValidationError(
            _("“{field}” is required and must be an object.").format(field=key), field=key
        )
    return value


def _date(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            _("“{field}” must be a date written YYYY-MM-DD, not “{value}”.").format(
                field=key, value=value
            ),
            field=key,
        ) from None


def _flag(data: Mapping[str, Any], key: str, path: str) -> bool:
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(_("“{field}” must be true or false.").format(field=path), field=path)
    return value


def intake_request_from_json(data: Any) -> IntakeRequest:
    """Read the intake document of ``repairshop intake`` (schema in the README)."""
    if not isinstance(data, Mapping):
        raise ValidationError(_("The intake document must be a JSON object."))
    customer = _object(data, "customer")
    device = _object(data, "device")
    accessories = data.get("accessories") or ()
    if isinstance(accessories, str):
        accessories = tuple(item.strip() for item in accessories.split(",") if item.strip())
    elif isinstance(accessories, list | tuple):
        accessories = tuple(str(item).strip() for item in accessories if str(item).strip())
    else:
        raise ValidationError(_("“accessories” must be a list of text."), field="accessories")
    consent = customer.get("consent_to_contact")
    return IntakeRequest(
        customer=CustomerInput(
            name=_text(customer, "name", "customer.name", required=True),
            phone=_text(customer, "phone", "customer.phone") or None,
            email=_text(customer, "email", "customer.email") or None,
            language=_text(customer, "language", "customer.language") or None,
            consent_to_contact=None if consent is None else bool(consent),
        ),
        device=DeviceInput(
            type=_text(device, "type", "device.type", required=True),
            brand=_text(device, "brand", "device.brand", required=True),
            model=_text(device, "model", "device.model", required=True),
            serial=_text(device, "serial", "device.serial") or None,
            imei=_text(device, "imei", "device.imei") or None,
            colour=_text(device, "colour", "device.colour"),
            sold_by_us=_flag(device, "sold_by_us", "device.sold_by_us"),
            replaces=_text(device, "replaces", "device.replaces") or None,
        ),
        fault=_text(data, "fault", "fault", required=True),
        job_type=_text(data, "job_type", "job_type") or None,
        accessories=accessories,
        condition=_text(data, "condition", "condition"),
        passcode=_text(data, "passcode", "passcode"),
        estimate=parse_amount(data.get("estimate"), "estimate"),
        preapproved=parse_amount(data.get("preapproved"), "preapproved"),
        deposit=parse_amount(data.get("deposit"), "deposit"),
        deposit_method=_deposit_method(data),
        promised=_date(data, "promised"),
        purchase_date=_date(device, "purchase_date") or _date(data, "purchase_date"),
        proof_of_purchase=(
            _text(device, "proof_of_purchase", "device.proof_of_purchase")
            or _text(data, "proof_of_purchase", "proof_of_purchase")
        ),
        repair_over_replacement=_flag(data, "repair_over_replacement", "repair_over_replacement"),
        repeat_of=_text(data, "repeat_of", "repeat_of") or None,
        complaint_of=_text(data, "complaint_of", "complaint_of") or None,
        remedy=_text(data, "remedy", "remedy") or None,
        assignee=_text(data, "assignee", "assignee") or None,
        checklist=_checklist(data.get("checklist")),
        pattern_lock=parse_pattern(_text(data, "pattern_lock", "pattern_lock")),
        loan=_loan(data.get("loaner")),
    )


def _checklist(value: object) -> tuple[PointAnswer, ...]:
    """``{"screen": "cracked", "back": {"state": "ok", "note": "…"}}`` as answers."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ValidationError(
            _("“{field}” must be an object.").format(field="checklist"), field="checklist"
        )
    answers = []
    for point, answer in value.items():
        note, state = "", answer
        if isinstance(answer, Mapping):
            note, state = str(answer.get("note") or ""), answer.get("state")
        answers.append(PointAnswer(str(point), parse_state(str(state or "")), note))
    return tuple(answers)


def _loan(value: object) -> LoanRequest | None:
    """``"L1"`` or ``{"label": "L1", "due": "2026-12-10", "deposit": 50, "condition": "…"}``."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return LoanRequest(value)
    if not isinstance(value, Mapping):
        raise ValidationError(
            _("“{field}” must be an object.").format(field="loaner"), field="loaner"
        )
    deposit = parse_amount(value.get("deposit"), "loaner.deposit")
    return LoanRequest(
        _text(value, "label", "loaner.label", required=True),
        due=_date(value, "due"),
        deposit=deposit,
        condition=_text(value, "condition", "loaner.condition"),
    )


def intake_problems(
    request: IntakeRequest, region: str, labels: Mapping[str, str]
) -> list[ValidationError]:
    """Every problem of an intake form that needs no database, each for its field.

    A counter shows them all at once beside their fields, named as ``labels`` (the
    form's own words for its fields: "Fault", "Závada"), instead of one refusal at a
    time. :func:`intake` still checks everything itself.
    """
    problems: list[ValidationError] = []

    def problem(key: str, message: str | None) -> None:
        if message:
            problems.append(ValidationError(message, field=key))

    def required(key: str, value: str) -> None:
        if not value.strip():
            label = labels.get(key, key)
            problem(key, _("Fill in “{field}”.").format(field=label))

    customer, device = request.customer, request.device
    phone, email = customer.phone or "", customer.email or ""
    problem("customer.phone", phone_problem(phone, region, finished=True))
    if not phone.strip() and not email.strip() and request.customer_id is None:
        problem(
            "customer.phone",
            _("Give the customer's phone number or e-mail so the shop can reach them."),
        )
    required("customer.name", customer.name)
    problem("customer.email", email_problem(email, finished=True))
    required("device.brand", device.brand)
    required("device.model", device.model)
    if device.imei and device.imei.strip():
        problem("device.imei", imei_problem(device.imei))
    required("fault", request.fault)
    if (
        request.estimate is not None
        and request.deposit is not None
        and request.deposit > request.estimate
    ):
        problem("deposit", _("The deposit cannot be more than the estimate."))
    return problems


def require_text(value: str, path: str) -> str:
    """``value`` without surrounding spaces; refused when nothing is left."""
    value = value.strip()
    if not value:
        raise ValidationError(_("“{field}” is required.").format(field=path), field=path)
    return value


def check_customer_language(value: str) -> str:
    """The customer's language as a code RepairShop prints in (empty: the source language)."""
    if value and value.strip().split("_")[0].lower() not in LANGUAGES:
        raise ValidationError(
            _("RepairShop prints in {languages}; “{value}” is not one of them.").format(
                languages=", ".join(LANGUAGES), value=value
            ),
            field="customer.language",
        )
    return normalise_language(value)


@dataclass(frozen=True)
class _CustomerEdit:
    """A change an intake made to a returning customer, recorded in the new job's history."""

    field: str
    old: str | None
    new: str | None


def _find_or_create_customer(
    uow: UnitOfWork, request: IntakeRequest, settings: ShopSettings
) -> tuple[Customer, list[_CustomerEdit]]:
    """The customer of this intake, and what it changed on a returning customer.

    A customer chosen at the counter is that customer. Otherwise a known phone
    number (or, without a phone, a known e-mail) finds the customer of that name
    only: a family sharing a phone is several customers, and another name makes a
    new one, never a silent swap of the person on the receipt.
    """
    data = request.customer
    name = require_text(data.name, "customer.name")
    phone = normalise_phone(data.phone, settings.region)
    email = normalise_email(data.email)
    language = check_customer_language(data.language) if data.language else None
    if_new = check_customer_language(data.language_if_new) if data.language_if_new else None
    if not phone and not email and request.customer_id is None:
        raise ValidationError(
            _("Give the customer's phone number or e-mail so the shop can reach them."),
            field="customer.phone",
        )
    customer: Customer | None = None
    if request.customer_id is not None:
        customer = uow.session.get(Customer, request.customer_id)
        if customer is None:
            raise NotFound(_("The chosen customer no longer exists."))
    elif not request.new_customer:
        known = Customer.phone == phone if phone else Customer.email == email
        candidates = uow.session.scalars(select(Customer).where(known).order_by(Customer.id))
        customer = next((c for c in candidates if same_person_name(c.name, name)), None)
    if customer is None:
        customer = Customer(
            name=name,
            phone=phone,
            email=email,
            language=language or if_new or settings.language,
            consent_to_contact=bool(data.consent_to_contact),
            notes="",
            created_at=uow.now(),
        )
        uow.session.add(customer)
        return customer, []
    edits: list[_CustomerEdit] = []

    def change(field: str, attribute: str, old: str | None, new: str | None, value: Any) -> None:
        if old != new:
            setattr(customer, attribute, value)
            edits.append(_CustomerEdit(field, old, new))
            if attribute == "consent_to_contact":  # given or withdrawn: when, and who
                customer.consent_changed_at = uow.now()
                customer.consent_changed_by = uow.actor

    if phone:
        change("customer.phone", "phone", customer.phone, phone, phone)
    if email:
        change("customer.email", "email", customer.email, email, email)
    if language:
        change("customer.language", "language", customer.language, language, language)
    if data.consent_to_contact is not None:
        consent = data.consent_to_contact
        change(
            "customer.consent_to_contact",
            "consent_to_contact",
            yes_no(customer.consent_to_contact),
            yes_no(consent),
            consent,
        )
    return customer, edits


def yes_no(value: bool) -> str:
    """A yes/no value as the job's history stores it."""
    return "yes" if value else "no"


def known_device(
    uow: UnitOfWork, *, device_type: str, brand: str, serial: str | None, imei: str | None
) -> Device | None:
    """The device seen before with this IMEI, or this serial on the same maker's same kind of
    device (the latest record).

    A serial is only unique within a maker's products, so it counts with the brand and the
    device type; an IMEI is unique on its own.
    """
    found: list[int] = []
    if imei:
        by_imei = uow.session.scalar(
            select(Device.id).where(Device.imei == imei).order_by(Device.id.desc()).limit(1)
        )
        if by_imei is not None:
            found.append(by_imei)
    if serial:
        # The serial's records by its index alone (a serial has a few), the maker and kind
        # compared here: with them in the WHERE, SQLite (which keeps no statistics) walked
        # the (device_type, id) index newest first for the ORDER BY instead, through every
        # phone: 0.2 s of a 0.25 s intake at a million jobs.
        wanted = brand.strip().lower()
        found.extend(
            device_id
            for device_id, device_brand, kind in uow.session.execute(
                select(Device.id, Device.brand, Device.device_type).where(Device.serial == serial)
            )
            if device_brand.lower() == wanted and kind == device_type
        )
    return uow.session.get(Device, max(found)) if found else None


def next_ticket_code(uow: UnitOfWork, prefix: str) -> str:
    """Bump the ticket counter inside this transaction: unique under concurrent intake."""
    return format_ticket_code(prefix, next_value(uow.session, "ticket"))


def _decide_warranty(
    uow: UnitOfWork,
    request: IntakeRequest,
    *,
    device_type: str,
    brand: str,
    fault: str,
    serial: str | None,
    imei: str | None,
) -> tuple[Decision, int | None, bool]:
    """The warranty decision from what intake knows; also the replaced device and who sold it."""
    ids = device_ids(uow, serial, imei)
    earlier = earlier_jobs(uow, ids)
    replaced_id, replaced = (
        replaced_device(uow, request.device.replaces) if request.device.replaces else (None, None)
    )
    sold_by_us = request.device.sold_by_us or sold_by_us_before(uow, ids)
    repeat_of = request.repeat_of
    if repeat_of is None and request.complaint_of is not None:
        complained = normalise_ticket_code(request.complaint_of)
        repeat_of = complained if complained in {job.code for job in earlier} else None
    decision = decide(
        uow.now().date(),
        DeviceFacts(
            brand=brand,
            device_type=device_type,
            purchase_date=request.purchase_date,
            proof_of_purchase=request.proof_of_purchase,
            sold_by_us=sold_by_us,
        ),
        get_rules(uow).warranty_rules(),
        fault=fault,
        earlier=earlier,
        repeat_of=check_repeat_of(repeat_of, earlier),
        replaced=replaced,
    )
    return decision, replaced_id, sold_by_us


def preview_warranty(uow: UnitOfWork, request: IntakeRequest) -> Decision:
    """The warranty decision :func:`intake` would make for what the form says now.

    Read only: the counter shows it while the clerk fills in the brand and the purchase
    date. What cannot be read yet (a half-typed IMEI) is left out rather than refused.
    """
    device = request.device
    try:
        imei = normalise_imei(device.imei)
    except ValidationError:
        imei = None
    decision, _replaced, _sold = _decide_warranty(
        uow,
        replace(request, device=replace(device, replaces=None)),
        device_type=parse_device_type(device.type).value,
        brand=device.brand.strip(),
        fault=request.fault.strip(),
        serial=normalise_serial(device.serial),
        imei=imei,
    )
    return decision


_LIMITS = (
    ("customer.name", Customer.name),
    ("customer.email", Customer.email),
    ("device.brand", Device.brand),
    ("device.model", Device.model),
    ("device.serial", Device.serial),
    ("device.colour", Device.colour),
    ("passcode", Job.passcode),
    ("proof_of_purchase", Job.proof_of_purchase),
)
"""The fields stored in columns of a fixed length (PostgreSQL refuses more, SQLite not)."""


def _cleaned(value: Any) -> Any:
    """Every text of an input (a dataclass), and of its inputs, made storable; a choice
    (an enum, also a ``str``) is already one of its own values and stays what it is."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, tuple):
        return tuple(_cleaned(item) for item in value)
    if isinstance(value, CustomerInput | DeviceInput):
        return replace(value, **{f.name: _cleaned(getattr(value, f.name)) for f in fields(value)})
    return value


def storable_request(request: IntakeRequest) -> IntakeRequest:
    """``request`` with its text cleaned (:func:`clean_text`); refused when a field is
    longer than the database keeps, naming the field and its limit."""
    names = [f.name for f in fields(request) if f.name != "extra"]
    request = replace(request, **{name: _cleaned(getattr(request, name)) for name in names})
    for path, column in _LIMITS:
        owner, _dot, name = path.rpartition(".")
        holder = getattr(request, owner) if owner else request
        value = (getattr(holder, name) or "").strip()
        limit = column.type.length
        if limit is not None and len(value) > limit:
            raise ValidationError(
                _("“{field}” is too long: at most {limit} characters.").format(
                    field=path, limit=limit
                ),
                field=path,
            )
    return request


def intake(uow: UnitOfWork, request: IntakeRequest, actor: str) -> IntakeResult:
    """Open a job for a device brought to the counter. Refused input changes nothing."""
    request = storable_request(request)
    clerk = get_user(uow, actor)
    settings = get_settings(uow)
    chosen_type = parse_job_type(request.job_type) if request.job_type else None
    remedy = parse_remedy(request.remedy) if request.remedy else None
    complained = complained_job(uow, request.complaint_of) if request.complaint_of else None
    if complained is not None:
        if chosen_type not in (None, JobType.COMPLAINT):
            raise ValidationError(
                _("A complaint about job {code} is a job of the type “{type}”.").format(
                    code=complained.code, type=JobType.COMPLAINT.label
                ),
                field="job_type",
            )
        chosen_type = JobType.COMPLAINT
    elif remedy is not None:
        raise ValidationError(
            _("A remedy is asked for in a complaint: name the job it is about."),
            field="complaint_of",
        )
    device_type = parse_device_type(request.device.type)
    brand = require_text(request.device.brand, "device.brand")
    model = require_text(request.device.model, "device.model")
    imei = normalise_imei(request.device.imei)
    fault = require_text(request.fault, "fault")
    currency = settings.currency
    estimate = to_minor(request.estimate, currency) if request.estimate is not None else None
    preapproved = (
        to_minor(request.preapproved, currency) if request.preapproved is not None else None
    )
    deposit = to_minor(request.deposit, currency) if request.deposit is not None else 0
    if estimate is not None and deposit > estimate:
        raise ValidationError(_("The deposit cannot be more than the estimate."), field="deposit")
    now = uow.now()
    today = now.date()
    deadlines = None
    if complained is not None:
        deadlines = deadlines_for(uow, shop_today(uow), remedy)
    default_promised = deadlines.decide_by if deadlines else settings.default_promised_date(today)
    promised = request.promised or default_promised
    if promised < today:
        raise ValidationError(
            _("The promised date {date} has already passed.").format(date=promised.isoformat()),
            field="promised",
        )
    if request.purchase_date is not None and request.purchase_date > today:
        raise ValidationError(
            _("The purchase date cannot be in the future."), field="purchase_date"
        )
    serial = normalise_serial(request.device.serial)
    decision, replaces_device_id, sold_by_us = _decide_warranty(
        uow,
        request,
        device_type=device_type.value,
        brand=brand,
        fault=fault,
        serial=serial,
        imei=imei,
    )
    if (
        chosen_type is JobType.WARRANTY_CLAIM
        and not decision.applies
        and request.purchase_date is None
    ):
        raise ValidationError(_("A warranty claim needs the purchase date."), field="purchase_date")
    job_type = chosen_type or (JobType.WARRANTY_CLAIM if decision.applies else JobType.PAID_REPAIR)
    assignee = get_user(uow, request.assignee) if request.assignee else None
    if assignee is not None and not may(assignee.role, Permission.BE_ASSIGNED):
        raise ValidationError(
            _("{name} is not a technician.").format(name=assignee.display_name),
            field="assignee",
        )

    customer, customer_edits = _find_or_create_customer(uow, request, settings)
    device = known_device(uow, device_type=device_type.value, brand=brand, serial=serial, imei=imei)
    if device is None:
        device = Device(created_at=now)
        uow.session.add(device)
    # One record across visits: what the clerk typed now is what the device is now (it may
    # have changed hands); an earlier "sold by us" or "replaces" is never forgotten.
    device.customer = customer
    device.device_type = device_type.value
    device.brand = brand
    device.model = model
    device.serial = serial or device.serial
    device.imei = imei or device.imei
    device.colour = request.device.colour.strip() or device.colour
    device.sold_by_us = sold_by_us or bool(device.sold_by_us)
    if replaces_device_id is not None and replaces_device_id != device.id:
        device.replaces_device_id = replaces_device_id
    code = next_ticket_code(uow, settings.ticket_prefix)
    job = Job(
        code=code,
        customer=customer,
        device=device,
        job_type=job_type.value,
        status=JobStatus.RECEIVED.value,
        fault=fault,
        accessories=", ".join(request.accessories),
        condition=request.condition.strip(),
        passcode=request.passcode.strip(),
        pattern_lock=parse_pattern(request.pattern_lock),
        estimate_minor=estimate,
        preapproved_minor=preapproved,
        deposit_minor=deposit,
        currency=currency,
        promised=promised,
        purchase_date=request.purchase_date,
        proof_of_purchase=request.proof_of_purchase.strip(),
        repair_over_replacement=request.repair_over_replacement,
        assignee=assignee,
        created_by=clerk,
        created_at=now,
        status_changed_at=now,
        updated_at=now,
        search_text=search_text_for(code, customer, device),
    )
    store_decision(job, decision)
    if complained is not None and deadlines is not None:
        job.complaint_of = complained
        store_complaint(uow, job, deadlines.received, remedy, deadlines)
    uow.session.add(job)
    created = JobEvent(
        job=job, at=now, user=clerk, kind="created", to_value=JobStatus.RECEIVED.value
    )
    uow.session.add(created)
    if assignee is not None:
        uow.session.add(
            JobEvent(job=job, at=now, user=clerk, kind="assigned", to_value=assignee.login)
        )
    for edit in customer_edits:
        uow.session.add(
            JobEvent(
                job=job,
                at=now,
                user=clerk,
                kind="edited",
                from_value=edit.old,
                to_value=edit.new,
                note=edit.field,
            )
        )
    uow.flush()
    store_checklist(uow, job, clerk, Stage.INTAKE, request.checklist)
    for file_name, data in request.photos:
        store_photo(uow, job, clerk, data, file_name=file_name, stage=Stage.INTAKE)
    if request.signature:
        store_signature(
            uow,
            job,
            clerk,
            "intake",
            request.signature,
            signer=customer.name,
            aspect=request.signature_aspect,
        )
    if request.loan is not None:
        lend_to(uow, job, clerk, request.loan)
    uow.flush()
    changes = Changes(
        kinds=frozenset({ChangeKind.JOB, ChangeKind.CUSTOMER}),
        job_ids=(job.id,),
        customer_ids=(customer.id,),
    ) | uow.publish(JobStatusChanged(job.id, None, JobStatus.RECEIVED.value, created.id))
    if deposit:
        method = request.deposit_method.value
        changes |= uow.publish(DepositChanged(job.id, clerk.login, 0, deposit, method))
    return IntakeResult(job_id=job.id, code=code, customer_id=customer.id, changes=changes)


def _deposit_method(data: Mapping[str, Any]) -> PaymentMethod:
    """``deposit_method`` of the intake document: cash (the default), card or transfer."""
    value = _text(data, "deposit_method", "deposit_method")
    if not value:
        return PaymentMethod.CASH
    try:
        return parse_payment_method(value)
    except ValidationError as error:
        raise ValidationError(error.message, field="deposit_method") from None
