"""``repairshop device show SERIAL_OR_IMEI``: a device's history across every visit."""

from __future__ import annotations

import argparse

from repairshop.commands.output import add_json, print_json
from repairshop.i18n import _, format_day
from repairshop.services.aftersales.devices import (
    DeviceHistory,
    DeviceSummary,
    device_history,
    history_to_json,
)
from repairshop.services.database import Database


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    device = commands.add_parser("device", help=_("a device's history across visits"))
    actions = device.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show", help=_("every job, complaint and return of the device with this serial or IMEI")
    )
    show.add_argument("serial_or_imei", metavar="SERIAL_OR_IMEI")
    add_json(show)
    show.set_defaults(handler=show_command)


def _identity(device: DeviceSummary) -> str:
    return _("{title}  serial {serial}  IMEI {imei}").format(
        title=device.title, serial=device.serial or "-", imei=device.imei or "-"
    )


def format_history(history: DeviceHistory) -> str:
    device = history.device
    lines = [
        _identity(device),
        _("Owner: {name}").format(name=device.owner),
    ]
    if device.sold_by_us:
        lines.append(_("Sold by this shop"))
    if history.replaces is not None:
        lines.append(_("Replaces: {device}").format(device=_identity(history.replaces)))
    lines += [
        _("Replaced by: {device}").format(device=_identity(new)) for new in history.replaced_by
    ]
    lines.append(_("Visits:"))
    for visit in history.visits:
        collected = (
            _(", collected {date}").format(date=format_day(visit.collected.date()))
            if visit.collected
            else ""
        )
        outcome = f" ({visit.outcome.label})" if visit.outcome else ""
        lines.append(
            f"  {visit.code}  {format_day(visit.received.date())}{collected}  "
            f"{visit.job_type.label}  {visit.status.label}{outcome}"
        )
        if visit.complaint_of:
            lines.append("    " + _("Complaint about {code}").format(code=visit.complaint_of))
        lines.append("    " + _("Fault: {fault}").format(fault=visit.fault))
        for part in visit.parts:
            serials = ", ".join(part.serials)
            lines.append(
                f"    {part.quantity} × {part.sku} {part.name}"
                + (f"  [{serials}]" if serials else "")
            )
        if visit.claim is not None:
            lines.append(
                "    " + _("Manufacturer claim: {number}").format(number=visit.claim.number)
            )
            lines += [
                f"      {part.sku} {part.old_serial} → {part.new_serial}"
                for part in visit.claim.parts
            ]
    if history.returns:
        lines.append(_("Returns:"))
        lines += [
            f"  {rma.number}  {rma.state.label}  {rma.supplier}  {rma.sku}  {rma.serial or '-'}"
            for rma in history.returns
        ]
    return "\n".join(lines)


def show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        history = device_history(uow, args.serial_or_imei)
    if args.json:
        print_json(history_to_json(history))
    else:
        print(format_history(history))
    return 0
