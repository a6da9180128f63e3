"""``repairshop customer show|consent|merge|export|anonymise``, ``repairshop feedback
enter|reply|show``, ``repairshop privacy run`` and ``repairshop report feedback``."""

from __future__ import annotations

import argparse
from pathlib import Path

from repairshop.commands.output import add_json, print_json
from repairshop.domain.money import from_minor
from repairshop.i18n import _, format_moment, format_money
from repairshop.services.customers.card import (
    CustomerCard,
    card_to_json,
    customer_card,
    merge_customers,
    set_consent,
)
from repairshop.services.customers.feedback import (
    feedback_to_json,
    get_feedback,
    record_feedback,
)
from repairshop.services.customers.privacy import (
    PrivacyRun,
    anonymise_customer,
    export_customer,
    export_json,
    run_due_privacy,
    run_privacy,
)
from repairshop.services.database import Database
from repairshop.services.reports.feedback import (
    FeedbackRow,
    feedback_report,
)
from repairshop.services.reports.feedback import (
    feedback_to_json as report_to_json,
)
from repairshop.services.reports.figures import Period, parse_day
from repairshop.services.shop.settings import get_settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    customer = commands.add_parser("customer", help=_("the customer card, merging, GDPR requests"))
    actions = customer.add_subparsers(dest="customer_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=_("everything about one customer"))
    show.add_argument("key", metavar="ID|PHONE")
    add_json(show)
    show.set_defaults(handler=show_command)
    consent = actions.add_parser("consent", help=_("record that consent was given or withdrawn"))
    consent.add_argument("key", metavar="ID|PHONE")
    consent.add_argument("answer", choices=("yes", "no"))
    consent.set_defaults(handler=consent_command)
    merge = actions.add_parser("merge", help=_("merge a duplicate customer into another"))
    merge.add_argument("keep", metavar="KEEP")
    merge.add_argument("other", metavar="OTHER")
    merge.set_defaults(handler=merge_command)
    export = actions.add_parser("export", help=_("a customer's data as JSON (and PDF)"))
    export.add_argument("key", metavar="ID|PHONE")
    export.add_argument(
        "--out", metavar="FILE.json", help=_("write the JSON here (default: stdout)")
    )
    export.add_argument("--pdf", metavar="FILE.pdf", help=_("also write a readable PDF"))
    export.set_defaults(handler=export_command)
    anonymise = actions.add_parser("anonymise", help=_("erase the person, keep the jobs"))
    anonymise.add_argument("key", metavar="ID|PHONE")
    anonymise.set_defaults(handler=anonymise_command)

    feedback = commands.add_parser("feedback", help=_("customers' feedback after collection"))
    steps = feedback.add_subparsers(dest="feedback_command", metavar="ACTION", required=True)
    enter = steps.add_parser("enter", help=_("type in a customer's answer at the counter"))
    enter.add_argument("code", metavar="CODE", help=_("ticket or reply code"))
    enter.add_argument("score", type=int, metavar="SCORE", help=_("0 to 10"))
    enter.add_argument("--comment", default="")
    add_json(enter)
    enter.set_defaults(handler=enter_command, by_customer=False)
    reply = steps.add_parser("reply", help=_("the customer's own answer with the reply code"))
    reply.add_argument("code", metavar="REPLY_CODE")
    reply.add_argument("score", type=int, metavar="SCORE", help=_("0 to 10"))
    reply.add_argument("--comment", default="")
    add_json(reply)
    reply.set_defaults(handler=enter_command, by_customer=True)
    show_feedback = steps.add_parser("show", help=_("a job's feedback"))
    show_feedback.add_argument("code", metavar="CODE")
    add_json(show_feedback)
    show_feedback.set_defaults(handler=feedback_show_command)

    privacy = commands.add_parser("privacy", help=_("the retention rules for personal data"))
    privacy_steps = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    run = privacy_steps.add_parser(
        "run", help=_("anonymise inactive customers and erase old passcodes, as set")
    )
    run.add_argument(
        "--auto",
        action="store_true",
        help=_(
            "as the shop's own daily run (for cron): once a day, whichever desk comes first, "
            "recorded as the retention rule"
        ),
    )
    add_json(run)
    run.set_defaults(handler=privacy_command)


def register_report(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``repairshop report feedback``: added to the reports' sub-commands."""
    report = actions.add_parser(
        "feedback", help=_("NPS and ratings per technician, device type and month")
    )
    report.add_argument("--from", dest="start", metavar="DATE", help=_("first day, YYYY-MM-DD"))
    report.add_argument("--to", dest="end", metavar="DATE", help=_("last day, YYYY-MM-DD"))
    add_json(report)
    report.set_defaults(handler=report_command)


def _money(spent: dict[str, int]) -> str:
    if not spent:
        return "0"
    return ", ".join(
        format_money(from_minor(amount, currency), currency)
        for currency, amount in sorted(spent.items())
    )


def format_card(card: CustomerCard) -> str:
    lines = [f"{card.name}  (#{card.id})"]
    for label, value in (
        (_("Phone"), card.phone),
        (_("E-mail"), card.email),
        (_("Language"), card.language),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    consent = _("yes") if card.consent_to_contact else _("no")
    if card.consent_changed_at:
        consent += " " + _("(changed {moment} by {login})").format(
            moment=format_moment(card.consent_changed_at), login=card.consent_changed_by or "?"
        )
    lines.append("  " + _("Agreed to be contacted") + f": {consent}")
    if card.anonymised_at:
        lines.append(
            "  " + _("Anonymised {moment}").format(moment=format_moment(card.anonymised_at))
        )
    if card.merged_into:
        lines.append("  " + _("Merged into customer #{id}").format(id=card.merged_into))
    lines.append("  " + _("Spent: {amount}").format(amount=_money(card.spent)))
    lines.append(_("Devices:"))
    lines += [
        f"  {d.brand} {d.model}  {d.serial or ''} {d.imei or ''}".rstrip() for d in card.devices
    ]
    lines.append(_("Jobs:"))
    lines += [
        f"  {j.code}  {format_moment(j.created_at)}  {j.status}  {j.device}  {j.fault}"
        for j in card.jobs
    ]
    if card.invoices:
        lines.append(_("Invoices:"))
        lines += [
            f"  {i.number}  {i.issued}  {i.job}  "
            + format_money(from_minor(i.gross_minor, i.currency), i.currency)
            for i in card.invoices
        ]
    if card.messages:
        lines.append(_("Messages:"))
        lines += [
            f"  {format_moment(m.at)}  {m.job_code or ''}  {m.kind_label}  {m.channel}  {m.state}"
            for m in card.messages
        ]
    return "\n".join(lines)


def show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        card = customer_card(uow, args.key)
    if args.json:
        print_json(card_to_json(card))
    else:
        print(format_card(card))
    return 0


def consent_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        set_consent(uow, args.key, args.answer == "yes", args.user)
        uow.commit()
    return 0


def merge_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        changed = merge_customers(uow, args.keep, args.other, args.user)
        uow.commit()
    print(_("Merged; {count} jobs moved.").format(count=len(changed.job_ids)))
    return 0


def export_command(args: argparse.Namespace, db: Database) -> int:
    from repairshop.printing.customer_export import customer_export_pdf

    with db.reader() as uow:
        data = export_customer(uow, args.key, args.user)
        shop_name = get_settings(uow).name
    text = export_json(data)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    if args.pdf:
        Path(args.pdf).write_bytes(customer_export_pdf(data, shop_name=shop_name))
    return 0


def anonymise_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        done = anonymise_customer(uow, args.key, args.user)
        uow.commit()
    print(
        _("Customer #{id} anonymised; {jobs} jobs kept.").format(
            id=done.customer_id, jobs=done.jobs
        )
    )
    return 0


def enter_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        view = record_feedback(
            uow, args.code, args.score, args.comment, None if args.by_customer else args.user
        )
        uow.commit()
    if args.json:
        print_json(feedback_to_json(view))
    else:
        print(view.job_code)
    return 0


def feedback_show_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = get_feedback(uow, args.code)
    if args.json:
        print_json(feedback_to_json(view))
    elif view is None:
        print(_("No feedback was asked for yet."))
    else:
        score = "—" if view.score is None else str(view.score)
        print(f"{view.job_code}  {view.reply_code}  {score}  {view.comment}".rstrip())
    return 0


def privacy_command(args: argparse.Namespace, db: Database) -> int:
    with db.unit_of_work() as uow:
        found = run_due_privacy(uow) if args.auto else run_privacy(uow)
        uow.commit()
    done = found or PrivacyRun([], 0)
    if args.json:
        shown: dict[str, object] = {
            "anonymised": done.anonymised,
            "passcodes_erased": done.passcodes_erased,
        }
        if args.auto:
            shown["ran"] = found is not None
        print_json(shown)
    elif found is None:
        print(_("Nothing to do: the rules are off, or they were applied today already."))
    else:
        print(
            _("Customers anonymised: {customers}; passcodes erased: {passcodes}.").format(
                customers=len(done.anonymised), passcodes=done.passcodes_erased
            )
        )
    return 0


def _row_line(row: FeedbackRow) -> str:
    return f"  {row.group:<24} {row.count:>5} {row.nps:>7.1f} {row.mean_score:>6.2f}"


def report_command(args: argparse.Namespace, db: Database) -> int:
    period = Period(parse_day(args.start, "--from"), parse_day(args.end, "--to"))
    with db.reader() as uow:
        report = feedback_report(uow, period)
    if args.json:
        print_json(report_to_json(report))
        return 0
    answers, nps, mean = _("Answers"), _("NPS"), _("Mean score")
    header = f"  {'':<24} {answers:>5} {nps:>7} {mean:>6}"
    lines = [
        _("Feedback (asked {asked}, answered {count})").format(
            asked=report.asked, count=report.total.count
        )
    ]
    lines += [header, _row_line(report.total)]
    titles = {
        "technician": _("By technician"),
        "device_type": _("By device type"),
        "month": _("By month"),
    }
    for grouping, rows in report.groups.items():
        lines += ["", titles[grouping], *(_row_line(row) for row in rows)]
    print("\n".join(lines))
    return 0
