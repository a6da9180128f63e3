"""The tables, as SQLAlchemy 2 typed ORM entities.

Changing anything here needs an Alembic migration in ``db/migrations/versions``;
``tests/integration/test_migrations.py`` fails when the two disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    false,
    literal_column,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from repairshop.db.open_jobs import COLLECTED, OPEN_JOBS

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored as UTC and always read back time-zone aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC moment is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text from a Core query
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_display_name_id", "display_name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2id; while no user has one the shop is open (every desk works unsigned)."""
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2id of the short PIN for switching person at a shared counter."""
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Wrong passwords or PINs in a row: each one makes the next check wait longer."""


class AuditEntry(Base):
    """One change to the shop's records or one sign-in: who, when, which record, old → new.

    Written only by :mod:`repairshop.services.audit`; nothing updates or deletes a row.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_user_at", "user_login", "at"),
        Index("ix_audit_log_job_at", "job_code", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_login: Mapped[str] = mapped_column(String(64))
    """The login (not a key: the log outlives any renaming and names who was refused)."""
    action: Mapped[str] = mapped_column(String(32))
    """``created``, ``changed``, ``deleted``, ``signed_in``, ``sign_in_refused`` …"""
    record_kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(100))
    record_label: Mapped[str] = mapped_column(String(200), default="")
    """What a person calls the record: a ticket code, SKU, login, setting key."""
    job_code: Mapped[str | None] = mapped_column(String(10))
    changes: Mapped[str] = mapped_column(Text, default="{}")
    """JSON: field → [old, new], as text; secrets show only that they changed."""


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_name_id", "name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    consent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consent_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When consent to be contacted was last given or withdrawn (None: as taken in)."""
    consent_changed_by: Mapped[str | None] = mapped_column(String(64))
    """Who recorded that change (a login)."""
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the person was erased on request or by the retention rule; the jobs stay."""
    merged_into_id: Mapped[int | None] = mapped_column(Integer)
    """A duplicate merged into another customer (its id; no foreign key, so SQLite adds the
    column without rebuilding the table): its jobs moved there, this row stays."""

    devices: Mapped[list[Device]] = relationship(back_populates="customer")


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (
        Index("ix_devices_device_type_id", "device_type", "id"),
        Index("ix_devices_brand_model_id", "brand", "model", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    device_type: Mapped[str] = mapped_column(String(32))
    brand: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(200))
    serial: Mapped[str | None] = mapped_column(String(100), index=True)
    imei: Mapped[str | None] = mapped_column(String(15), index=True)
    colour: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sold_by_us: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    replaces_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    """The device this one replaced (a replacement inherits what was left of its warranty)."""

    customer: Mapped[Customer] = relationship(back_populates="devices")


def _open_jobs_index(name: str, *columns: str) -> Index:
    """An index over the jobs still in the shop only (:mod:`repairshop.db.open_jobs`)."""
    return Index(name, *columns, sqlite_where=text(OPEN_JOBS), postgresql_where=text(OPEN_JOBS))


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        _open_jobs_index("ix_jobs_status_promised_id", "status", "promised", "id"),
        Index("ix_jobs_assignee_status", "assignee_id", "status"),
        # The job list's orders, each read a keyset page at a time (revision 0017).
        Index("ix_jobs_status_id", "status", "id"),
        Index("ix_jobs_job_type_id", "job_type", "id"),
        Index("ix_jobs_promised_id", "promised", "id"),
        Index("ix_jobs_assignee_id_id", "assignee_id", "id"),
        # A status filter with an order, from one index (revision 0023); over the jobs
        # still in the shop (revision 0029), the collected ones read through the orders'
        # own indexes.
        _open_jobs_index("ix_jobs_status_job_type_id", "status", "job_type", "id"),
        _open_jobs_index("ix_jobs_status_created_at_id", "status", "created_at", "id"),
        _open_jobs_index("ix_jobs_status_assignee_id_id", "status", "assignee_id", "id"),
        # The customer and device orders by the keys copied onto the job, with a status
        # filter or without (revision 0024).
        Index("ix_jobs_customer_name_id", "customer_name", "customer_id", "id"),
        _open_jobs_index(
            "ix_jobs_status_customer_name_id", "status", "customer_name", "customer_id", "id"
        ),
        Index("ix_jobs_device_type_id", "device_type", "device_id", "id"),
        _open_jobs_index(
            "ix_jobs_status_device_type_id", "status", "device_type", "device_id", "id"
        ),
        Index("ix_jobs_device_brand_model_id", "device_brand", "device_model", "device_id", "id"),
        _open_jobs_index(
            "ix_jobs_status_device_brand_model_id",
            "status",
            "device_brand",
            "device_model",
            "device_id",
            "id",
        ),
        # The technician order by the name copied onto the job, the promise order under a
        # job-type filter and the device order under a device-type filter (revision 0026).
        Index("ix_jobs_assignee_name_id", "assignee_name", "assignee_id", "id"),
        _open_jobs_index(
            "ix_jobs_status_assignee_name_id", "status", "assignee_name", "assignee_id", "id"
        ),
        Index("ix_jobs_job_type_promised_id", "job_type", "promised", "id"),
        Index(
            "ix_jobs_device_type_brand_model_id",
            "device_type",
            "device_brand",
            "device_model",
            "device_id",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    # The job list's customer and device orders, copied from the customer's and the device's
    # rows and kept equal to them in the same transaction by every write
    # (:mod:`repairshop.services.jobs.sort_keys`): each order is then a range of one index
    # of jobs, with a status filter as without (revision 0024).
    customer_name: Mapped[str] = mapped_column(String(200))
    """The customer's name (``customers.name``)."""
    device_type: Mapped[str] = mapped_column(String(32))
    """The device's type (``devices.device_type``)."""
    device_brand: Mapped[str] = mapped_column(String(100))
    """The device's brand (``devices.brand``)."""
    device_model: Mapped[str] = mapped_column(String(200))
    """The device's model (``devices.model``)."""
    job_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    resume_status: Mapped[str | None] = mapped_column(String(32))
    """Where ``on_hold`` / ``awaiting_parts`` returns to."""
    outcome: Mapped[str | None] = mapped_column(String(32))
    fault: Mapped[str] = mapped_column(Text)
    accessories: Mapped[str] = mapped_column(Text, default="")
    condition: Mapped[str] = mapped_column(Text, default="")
    passcode: Mapped[str] = mapped_column(String(200), default="")
    pattern_lock: Mapped[str] = mapped_column(String(40), default="", server_default="")
    """The dots of a 3×3 pattern lock in order ("1-5-9-6"): seen and printed like the passcode."""
    estimate_minor: Mapped[int | None] = mapped_column(BigInteger)
    preapproved_minor: Mapped[int | None] = mapped_column(BigInteger)
    deposit_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    approved_minor: Mapped[int | None] = mapped_column(BigInteger)
    """The price the customer last approved (VAT included); ``job_events`` keep every one."""
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_method: Mapped[str | None] = mapped_column(String(16))
    """``in_person``, ``phone``, ``email`` or ``signed``."""
    promised: Mapped[date | None] = mapped_column(Date)
    purchase_date: Mapped[date | None] = mapped_column(Date)
    proof_of_purchase: Mapped[str] = mapped_column(String(200), default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_name: Mapped[str | None] = mapped_column(String(200))
    """The technician's display name, copied for the job list's order (``sort_keys.py``);
    empty exactly when ``assignee_id`` is."""
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Folded code, customer, contacts, serial, IMEI: the search input but for the device's
    brand and model (``services/jobs/search.py``)."""
    search_device: Mapped[str] = mapped_column(Text, default="")
    """The device's brand and model, folded: the rest of the search input, kept with
    ``device_brand`` and ``device_model`` (revision 0027)."""
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    warranty_regime: Mapped[str | None] = mapped_column(String(20))
    """The warranty decided at intake (None for jobs taken in before decisions were made)."""
    warranty_until: Mapped[date | None] = mapped_column(Date)
    warranty_burden: Mapped[str | None] = mapped_column(String(16))
    warranty_burden_until: Mapped[date | None] = mapped_column(Date)
    warranty_decision: Mapped[str | None] = mapped_column(Text)
    """The reasons and every rule tried, as JSON (see :mod:`repairshop.domain.warranty`)."""
    warranty_overridden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    repair_over_replacement: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    """The customer chose repair though replacement was due (extends the liability)."""
    complaint_of_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    """When the job first reached ``ready`` (its status event's moment), written with it."""
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    """When the job was collected (its status event's moment), written with it."""

    customer: Mapped[Customer] = relationship()
    device: Mapped[Device] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    warranty_overridden_by: Mapped[User | None] = relationship(
        foreign_keys=[warranty_overridden_by_id]
    )
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    events: Mapped[list[JobEvent]] = relationship(
        back_populates="job", order_by="JobEvent.id", cascade="save-update"
    )
    complaint_of: Mapped[Job | None] = relationship(
        remote_side=[id], foreign_keys=[complaint_of_id]
    )
    complaint: Mapped[Complaint | None] = relationship(back_populates="job")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API


def status_among(statuses: Iterable[str]) -> ColumnElement[bool]:
    """The jobs whose status is one of ``statuses``; when none of them is collected, with the
    condition of the status-first indexes written beside, so that SQLite may read them (it
    uses a partial index only for a query that states the index's condition as written)."""
    values = sorted(set(statuses))
    chosen = Job.status.in_(values)
    if COLLECTED in values:
        return chosen
    return and_(chosen, Job.status != literal_column(f"'{COLLECTED}'"))


class JobEvent(Base):
    """One line of a job's append-only history."""

    __tablename__ = "job_events"
    __table_args__ = (
        Index("ix_job_events_job_at", "job_id", "at"),
        # "Which jobs reached ready or collected in the period" is asked of the jobs'
        # milestones (``Job.ready_at``, ``Job.collected_at``; revision 0014).
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    from_value: Mapped[str | None] = mapped_column(Text)
    to_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")

    job: Mapped[Job] = relationship(back_populates="events")
    user: Mapped[User] = relationship()


class Complaint(Base):
    """A complaint job's legal deadlines and, once made, its decision."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_decided_at_first_due", "decided_at", "first_due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    received: Mapped[date] = mapped_column(Date)
    remedy: Mapped[str | None] = mapped_column(String(16))
    """What the customer asks for: repair, replace, refund or discount."""
    country: Mapped[str] = mapped_column(String(2))
    deadline_days: Mapped[int] = mapped_column(Integer)
    working_days: Mapped[bool] = mapped_column(Boolean)
    decide_by: Mapped[date] = mapped_column(Date)
    reply_by: Mapped[date | None] = mapped_column(Date)
    first_due: Mapped[date] = mapped_column(Date)
    """The earlier of ``reply_by`` and ``decide_by``: lists and reports sort and count by it."""
    accepted_if_unanswered: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_on: Mapped[date | None] = mapped_column(Date)
    """The shop's local day of the decision, compared with the deadlines."""
    outcome: Mapped[str | None] = mapped_column(String(16))
    settled_by: Mapped[str | None] = mapped_column(String(16))
    """How an accepted complaint is settled: repair, replace, refund or discount."""
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    job: Mapped[Job] = relationship(back_populates="complaint")
    decided_by: Mapped[User | None] = relationship()


class Setting(Base):
    """Shop settings as key/value text (see :mod:`repairshop.services.shop.settings`)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Counter(Base):
    """Named counters (ticket numbers), bumped inside the transaction that uses them."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


# --- Parts inventory (ARCHITECTURE.md: stock is a ledger, never negative) -------------------------


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Part(Base):
    """A catalogue part; ``on_hand`` and ``reserved`` move only with a :class:`StockMovement`."""

    __tablename__ = "parts"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), default="")
    compatible: Mapped[str] = mapped_column(Text, default="")
    """Compatible devices, ``Brand Model`` separated by semicolons."""
    location: Mapped[str] = mapped_column(String(64), default="")
    cost_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    price_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    reorder_level: Mapped[int] = mapped_column(Integer, default=0)
    reorder_quantity: Mapped[int] = mapped_column(Integer, default=0)
    serialised: Mapped[bool] = mapped_column(Boolean, default=False)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Lower-cased SKU, name, category, compatible devices, supplier part numbers."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PartSupplier(Base):
    """Who sells a part, under which of their part numbers, at what cost."""

    __tablename__ = "part_suppliers"
    __table_args__ = (
        UniqueConstraint("part_id", "supplier_id", name="uq_part_suppliers_part_supplier"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    supplier_sku: Mapped[str] = mapped_column(String(100), default="")
    cost_minor: Mapped[int | None] = mapped_column(BigInteger)


class PartUnit(Base):
    """One unit of a serialised part, with its own serial."""

    __tablename__ = "part_units"
    __table_args__ = (UniqueConstraint("part_id", "serial", name="uq_part_units_part_serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    serial: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    """``in_stock``, ``reserved``, ``used``, ``returned`` or ``written_off``."""
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StockMovement(Base):
    """One line of the stock ledger: what moved, how many, who, when, why, for which job or PO."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_part_id_id", "part_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    kind: Mapped[str] = mapped_column(String(16))
    on_hand_delta: Mapped[int] = mapped_column(Integer)
    reserved_delta: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    purchase_order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("part_units.id"))
    unit_cost_minor: Mapped[int | None] = mapped_column(BigInteger)


class JobPart(Base):
    """A part on a job: how many are reserved, used, or awaited, and the price charged."""

    __tablename__ = "job_parts"
    __table_args__ = (
        UniqueConstraint("job_id", "part_id", name="uq_job_parts_job_part"),
        CheckConstraint("reserved >= 0 AND used >= 0 AND waiting >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[int] = mapped_column(Integer, default=0)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    """Units the job waits for (``awaiting_parts``); receiving stock reserves them."""
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When awaited units arrived and were reserved: the job shows "parts arrived"."""
    price_minor: Mapped[int] = mapped_column(BigInteger)


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    """``draft``, ``sent``, ``partly_received``, ``received`` or ``cancelled``."""
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "part_id", name="uq_purchase_order_lines_order_part"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, default=0)
    unit_cost_minor: Mapped[int] = mapped_column(BigInteger, default=0)


class StockTake(Base):
    """A count of the shelves; its differences become adjustments only once reviewed."""

    __tablename__ = "stock_takes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    """``open``, ``applied`` or ``cancelled``."""
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class StockTakeCount(Base):
    __tablename__ = "stock_take_counts"
    __table_args__ = (
        UniqueConstraint("stock_take_id", "part_id", name="uq_stock_take_counts_take_part"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stock_take_id: Mapped[int] = mapped_column(ForeignKey("stock_takes.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    counted: Mapped[int] = mapped_column(Integer, default=0)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- Money: the price list and a job's lines ------------------------------------------------


class ServiceItem(Base):
    """A labour item of the price list, for every device or for one device type and brand."""

    __tablename__ = "service_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    vat_rate_bp: Mapped[int | None] = mapped_column(Integer)
    """VAT in hundredths of a percent (2100 is 21 %); ``None``: the shop's default rate."""
    price_includes_vat: Mapped[bool] = mapped_column(Boolean)
    device_type: Mapped[str | None] = mapped_column(String(32))
    brand: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobLine(Base):
    """A service or a free-text line of a job, as it will stand on the invoice."""

    __tablename__ = "job_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service_items.id"))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    price_includes_vat: Mapped[bool] = mapped_column(Boolean)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Invoice(Base):
    """A document issued at the counter: an invoice, a credit note or a handover document.

    Never edited once issued: a credit note (``kind`` ``credit_note``, ``credits_id``) corrects
    an invoice. Numbered per kind and calendar year from a ``counters`` row bumped in the
    same transaction, so numbers are consecutive, never skipped and never reused.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("kind", "year", "sequence", name="uq_invoices_kind_year_sequence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    """``invoice``, ``credit_note`` or ``handover`` (a job at no charge)."""
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    credits_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    """The shop's local day of issue (the number's year, the takings' day)."""
    currency: Mapped[str] = mapped_column(String(3))
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_language: Mapped[str] = mapped_column(String(8))
    net_minor: Mapped[int] = mapped_column(BigInteger)
    vat_minor: Mapped[int] = mapped_column(BigInteger)
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    deposit_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    due_minor: Mapped[int] = mapped_column(BigInteger)
    """Gross less the deposit: what the customer paid at collection (before cash rounding)."""
    rounding_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    change_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    """Why a handover is free, or why a credit note was issued."""
    collected_by: Mapped[str] = mapped_column(String(200), default="")
    """Who took the device: empty for the customer, else the person's name."""
    collected_by_note: Mapped[str] = mapped_column(String(200), default="")
    """An ID note for a third person collecting."""
    warranty_until: Mapped[date | None] = mapped_column(Date)
    """The repair warranty, counted from the collection day."""
    desk: Mapped[str] = mapped_column(String(64), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    lines: Mapped[list[InvoiceLine]] = relationship(order_by="InvoiceLine.position")
    created_by: Mapped[User] = relationship()


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    price_includes_vat: Mapped[bool] = mapped_column(Boolean)
    net_minor: Mapped[int] = mapped_column(BigInteger)
    vat_minor: Mapped[int] = mapped_column(BigInteger)
    gross_minor: Mapped[int] = mapped_column(BigInteger)


class Payment(Base):
    """Money in or out at a desk: a deposit, a payment at collection, a refund (negative)."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_day_desk", "day", "desk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    """``None`` only for money paid back for goods a customer returned without an invoice."""
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    """The document it settles (a deposit gets one when the job is collected)."""
    kind: Mapped[str] = mapped_column(String(16))
    """``deposit``, ``payment`` or ``refund``."""
    method: Mapped[str] = mapped_column(String(16))
    """``cash``, ``card`` or ``transfer``."""
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    """What stays with the shop (cash net of change); negative for money paid back."""
    tendered_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    change_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date)
    """The shop's local day it was taken: the takings' day."""
    desk: Mapped[str] = mapped_column(String(64), default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class CashUp(Base):
    """The end of a day at a desk: the cash counted against the cash expected."""

    __tablename__ = "cash_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    desk: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    expected_minor: Mapped[int] = mapped_column(BigInteger)
    counted_minor: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- After-sales: returns to suppliers (RMA) and manufacturer warranty claims ----------------


class Rma(Base):
    """One part going back to a supplier, from request to credit, replacement or rejection."""

    __tablename__ = "rmas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    """``requested``, ``sent``, ``credited``, ``replaced`` or ``rejected``."""
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    serial: Mapped[str | None] = mapped_column(String(100), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("part_units.id"))
    """The shop's own unit, when the part is a serialised unit from stock or used on the job."""
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    purchase_order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"))
    from_stock: Mapped[bool] = mapped_column(Boolean)
    """The part was on the shelf (held, then leaves stock); otherwise it came out of a device."""
    reason: Mapped[str] = mapped_column(Text)
    replacement_serial: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RmaEvent(Base):
    """One line of an RMA's append-only history."""

    __tablename__ = "rma_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class CustomerReturn(Base):
    """A part or device the shop sold, taken back from a customer: the item's way and the money."""

    __tablename__ = "customer_returns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    """``received``, ``restocked``, ``to_supplier`` or ``scrapped``."""
    decision: Mapped[str | None] = mapped_column(String(16))
    """``refunded``, ``exchanged`` or ``refused``; ``None`` until the money is decided."""
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    serial: Mapped[str | None] = mapped_column(String(100), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("part_units.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    """The invoice it was sold on: a refund is a credit note on it."""
    rma_id: Mapped[int | None] = mapped_column(ForeignKey("rmas.id"))
    """The supplier RMA opened for it (``to_supplier``)."""
    reason: Mapped[str] = mapped_column(Text)
    refund_minor: Mapped[int | None] = mapped_column(BigInteger)
    refund_document: Mapped[str | None] = mapped_column(String(20))
    """The credit note of a refund on an invoice."""
    decision_note: Mapped[str] = mapped_column(Text, default="")
    """Why a refund was refused; what the customer took instead."""
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomerReturnEvent(Base):
    """One line of a take-back's append-only history: the item moved, or the money decided."""

    __tablename__ = "customer_return_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("customer_returns.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    """``item`` (where the item went) or ``money`` (the refund decision)."""
    from_value: Mapped[str | None] = mapped_column(String(16))
    to_value: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class ManufacturerClaim(Base):
    """A job's warranty claim with the manufacturer: their claim number."""

    __tablename__ = "manufacturer_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    number: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClaimPart(Base):
    """A part replaced under a manufacturer claim: old and new serials, whether it goes back."""

    __tablename__ = "claim_parts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("manufacturer_claims.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"))
    old_serial: Mapped[str] = mapped_column(String(100), index=True)
    new_serial: Mapped[str] = mapped_column(String(100), index=True)
    to_return: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(Base):
    """A message to a customer, queued in the transaction that called for it, sent later.

    ``key`` is the message's idempotency key: one row per key, so the same occasion never
    queues a second message; the sender claims a row (``sending``, ``claim_token``,
    ``lease_until``) in its own transaction before it sends, and records the outcome after
    (see :mod:`repairshop.services.customers.outbox`).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When it was sent, or given up as failed."""
    error: Mapped[str] = mapped_column(Text, default="")


class Feedback(Base):
    """After collection: the customer's reply code, and their 0–10 score and comment."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    reply_code: Mapped[str] = mapped_column(String(12), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    """Who typed it in at the counter, or ``reply`` when the customer answered by the code."""


class JobCheck(Base):
    """One point of a job's condition checklist, as found at intake or at the end."""

    __tablename__ = "job_checks"
    __table_args__ = (UniqueConstraint("job_id", "stage", "point"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    """``intake`` or ``final`` (before the job is ready)."""
    position: Mapped[int] = mapped_column(Integer)
    point: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class JobPhoto(Base):
    """A photo of the device, kept in the database so every desk (and a backup) has it."""

    __tablename__ = "job_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    media_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    """A JPEG at most 160 px on its longer side, for the card."""
    on_receipt: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class JobSignature(Base):
    """The customer's signature, drawn at intake or at collection, as strokes (vector)."""

    __tablename__ = "job_signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    occasion: Mapped[str] = mapped_column(String(16))
    """``intake`` or ``collection``; the latest of each is the one printed."""
    signer: Mapped[str] = mapped_column(String(200))
    strokes: Mapped[str] = mapped_column(Text)
    """JSON: a list of strokes, each a list of [x, y] scaled to 0…1 (y down)."""
    aspect: Mapped[str] = mapped_column(String(12), default="3")
    """Width over height of the pad it was drawn on."""
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Loaner(Base):
    """A device the shop lends while the customer's own is in repair."""

    __tablename__ = "loaners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    serial: Mapped[str] = mapped_column(String(100), default="")
    deposit_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    """The deposit asked by default when it is lent."""
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Loan(Base):
    """A loaner lent to a job: out until ``returned_at``; the job cannot be collected before."""

    __tablename__ = "loans"
    __table_args__ = (Index("ix_loans_returned_at_due", "returned_at", "due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loaner_id: Mapped[int] = mapped_column(ForeignKey("loaners.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    lent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due: Mapped[date] = mapped_column(Date)
    deposit_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    condition_out: Mapped[str] = mapped_column(Text, default="")
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    condition_in: Mapped[str] = mapped_column(Text, default="")

    loaner: Mapped[Loaner] = relationship()
    job: Mapped[Job] = relationship()
