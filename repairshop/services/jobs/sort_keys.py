"""The job list's sort keys copied onto each job, kept equal to their source rows.

The list orders jobs by their customer's name and by their device's type, brand and model
(the customer's or the device's id breaking ties, then the job's). Read through a join,
those orders under a status filter sorted every matching job; copied onto the job
(``jobs.customer_name``, ``device_type``, ``device_brand``, ``device_model``) each is a
range of one index of jobs, as fast for the open jobs as for all of them.

A copy is only as good as the writes that keep it: whatever changes a customer's name, a
device's type, brand or model, or moves a job to another customer or device, calls
:func:`refresh_sort_keys` in the same transaction (a correction on the job card, an intake
that finds the device again, a merge, an erasure), and whatever makes a job writes its
copies with it (:func:`sort_keys_of`; the demo's bulk rows likewise). Revision 0024 filled
them for the jobs made before it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, or_, select, update

from repairshop.db.tables import Customer, Device, Job
from repairshop.services.uow import UnitOfWork


def sort_keys_of(customer: Customer, device: Device) -> dict[str, str]:
    """A new job's copies of its customer's and device's sort keys (its columns' values)."""
    return {
        "customer_name": customer.name,
        "device_type": device.device_type,
        "device_brand": device.brand,
        "device_model": device.model,
    }


def _copied_from_source() -> dict[str, object]:
    customer = select(Customer.name).where(Customer.id == Job.customer_id).scalar_subquery()
    device = select(Device).where(Device.id == Job.device_id)
    return {
        "customer_name": customer,
        "device_type": device.with_only_columns(Device.device_type).scalar_subquery(),
        "device_brand": device.with_only_columns(Device.brand).scalar_subquery(),
        "device_model": device.with_only_columns(Device.model).scalar_subquery(),
    }


def refresh_sort_keys(
    uow: UnitOfWork,
    *,
    customer_ids: Iterable[int] = (),
    device_ids: Iterable[int] = (),
) -> None:
    """Copy the customers' names and the devices' types, brands and models onto their jobs
    again: every job of ``customer_ids`` and every job on ``device_ids`` (a device is one
    record across its visits, maybe another customer's).

    One UPDATE, after the pending changes are flushed. The jobs' versions stay (a card open
    on another of them is not made stale by it), as with the search text.
    """
    customers, devices = sorted(set(customer_ids)), sorted(set(device_ids))
    if not customers and not devices:
        return
    uow.session.flush()
    conditions: list[ColumnElement[bool]] = []
    if customers:
        conditions.append(Job.customer_id.in_(customers))
    if devices:
        conditions.append(Job.device_id.in_(devices))
    uow.session.execute(
        update(Job)
        .where(or_(*conditions))
        .values(_copied_from_source())
        .execution_options(synchronize_session=False)
    )
