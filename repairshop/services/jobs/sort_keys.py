"""The job list's sort keys copied onto each job, kept equal to their source rows.

The list orders jobs by their customer's name, by their device's type, brand and model and
by their technician's name (the customer's, device's or technician's id breaking ties, then
the job's). Read through a join, those orders under a filter sorted every matching job;
copied onto the job (``jobs.customer_name``, ``device_type``, ``device_brand``,
``device_model``, ``assignee_name``) each is a range of one index of jobs, as fast for the
open jobs as for all of them.

A copy is only as good as the writes that keep it: whatever changes a customer's name, a
device's type, brand or model, or moves a job to another customer or device, calls
:func:`refresh_sort_keys` in the same transaction (a correction on the job card, an intake
that finds the device again, a merge, an erasure), and whatever makes a job writes its
copies with it (:func:`sort_keys_of`; the demo's bulk rows likewise). Revision 0024 filled
them for the jobs made before it.

The technician's name (revision 0026) is written with the job's technician: at the intake
(:func:`sort_keys_of`) and on every assignment or return to the pool
(:func:`set_assignee`); a change of a user's display name calls :func:`refresh_sort_keys`
with the user's id (no service renames a user today; the copy is empty exactly when the job
has no technician).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, or_, select, update

from repairshop.db.tables import Customer, Device, Job, User
from repairshop.services.jobs.search import device_search_text
from repairshop.services.uow import UnitOfWork


def sort_keys_of(
    customer: Customer, device: Device, assignee: User | None = None
) -> dict[str, str | None]:
    """A new job's copies of its customer's, device's and technician's sort keys (its
    columns' values), and the brand and model as searched (``search_device``)."""
    return {
        "customer_name": customer.name,
        "device_type": device.device_type,
        "device_brand": device.brand,
        "device_model": device.model,
        "search_device": device_search_text(device.brand, device.model),
        "assignee_name": assignee.display_name if assignee is not None else None,
    }


def set_assignee(job: Job, assignee: User | None) -> None:
    """Give ``job`` to ``assignee`` (``None``: back to the pool), its copied name with it."""
    job.assignee = assignee
    job.assignee_name = assignee.display_name if assignee is not None else None


def _copied_from_source() -> dict[str, object]:
    customer = select(Customer.name).where(Customer.id == Job.customer_id).scalar_subquery()
    device = select(Device).where(Device.id == Job.device_id)
    return {
        "customer_name": customer,
        "device_type": device.with_only_columns(Device.device_type).scalar_subquery(),
        "device_brand": device.with_only_columns(Device.brand).scalar_subquery(),
        "device_model": device.with_only_columns(Device.model).scalar_subquery(),
    }


def _technician_name() -> ColumnElement[str | None]:
    return select(User.display_name).where(User.id == Job.assignee_id).scalar_subquery()


def refresh_sort_keys(
    uow: UnitOfWork,
    *,
    customer_ids: Iterable[int] = (),
    device_ids: Iterable[int] = (),
    user_ids: Iterable[int] = (),
    job_ids: Iterable[int] = (),
) -> None:
    """Copy the customers' names and the devices' types, brands and models onto their jobs
    again: every job of ``customer_ids`` and every job on ``device_ids`` (a device is one
    record across its visits, maybe another customer's); the users' display names onto the
    jobs assigned to ``user_ids``; and every copy of ``job_ids`` (after a write past the
    services that moved them to another customer, device or technician).

    An UPDATE for each kind of source, after the pending changes are flushed. The jobs'
    versions stay (a card open on another of them is not made stale by it), as with the
    search text.
    """
    customers, devices = sorted(set(customer_ids)), sorted(set(device_ids))
    users, jobs = sorted(set(user_ids)), sorted(set(job_ids))
    if not customers and not devices and not users and not jobs:
        return
    uow.session.flush()
    named = [Job.id.in_(jobs)] * bool(jobs)
    sourced = (
        [Job.customer_id.in_(customers)] * bool(customers)
        + [Job.device_id.in_(devices)] * bool(devices)
        + named
    )
    assigned = [Job.assignee_id.in_(users)] * bool(users) + named
    for values, conditions in (
        (_copied_from_source(), sourced),
        ({"assignee_name": _technician_name()}, assigned),
    ):
        if conditions:
            uow.session.execute(
                update(Job)
                .where(or_(*conditions))
                .values(values)
                .execution_options(synchronize_session=False)
            )
    if sourced:
        _search_device_again(uow, or_(*sourced))


def _search_device_again(uow: UnitOfWork, chosen: ColumnElement[bool]) -> None:
    """The brand and model as searched (``search_device``) folded again from the copies of
    the ``chosen`` jobs, for each brand and model among them whose text differs from it."""
    pairs = uow.session.execute(
        select(Job.device_brand, Job.device_model, Job.search_device).where(chosen).distinct()
    ).all()
    for brand, model, searched in pairs:
        text = device_search_text(brand, model)
        if text != searched:
            uow.session.execute(
                update(Job)
                .where(
                    chosen,
                    Job.device_brand == brand,
                    Job.device_model == model,
                    Job.search_device == searched,
                )
                .values(search_device=text)
                .execution_options(synchronize_session=False)
            )
