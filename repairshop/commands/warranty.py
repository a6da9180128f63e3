"""``repairshop warranty explain|override``: the decision made at intake, rule by rule."""

from __future__ import annotations

import argparse
from datetime import date

from repairshop.commands.output import add_json, print_json
from repairshop.errors import ValidationError
from repairshop.i18n import _, format_day
from repairshop.services.aftersales.warranty import explain, override, parse_regime
from repairshop.services.database import Database
from repairshop.services.jobs.views import WarrantyView


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    warranty = commands.add_parser("warranty", help=_("the warranty decided at intake"))
    actions = warranty.add_subparsers(dest="warranty_command", metavar="ACTION", required=True)
    explain_parser = actions.add_parser(
        "explain", help=_("the decision with every rule tried and why it applied or not")
    )
    explain_parser.add_argument("code")
    add_json(explain_parser)
    explain_parser.set_defaults(handler=explain_command)
    override_parser = actions.add_parser(
        "override", help=_("set the warranty by hand, with the reason (managers only)")
    )
    override_parser.add_argument("code")
    override_parser.add_argument(
        "regime", help=_("manufacturer, statutory, repair_warranty or none")
    )
    override_parser.add_argument("--until", metavar="DATE", help=_("YYYY-MM-DD"))
    override_parser.add_argument("--reason", required=True, help=_("why"))
    override_parser.set_defaults(handler=override_command)


def format_warranty(view: WarrantyView) -> list[str]:
    """The decision as ``job show`` and ``warranty explain`` print it."""
    until = _(" until {date}").format(date=format_day(view.until)) if view.until else ""
    lines = [_("Warranty: {regime}{until}").format(regime=view.regime.label, until=until)]
    if view.burden_of_proof is not None:
        lines.append(
            _("Burden of proof: {who}").format(
                who=_("the shop") if view.burden_of_proof.value == "seller" else _("the customer")
            )
        )
    if view.overridden_by:
        lines.append(_("Overridden by: {login}").format(login=view.overridden_by))
    lines += [f"  {reason.render()}" for reason in view.reasons]
    return lines


def explain_command(args: argparse.Namespace, db: Database) -> int:
    with db.reader() as uow:
        view = explain(uow, args.code)
    if args.json:
        print_json({**view.to_json(), "rules": view.rules_to_json()})
        return 0
    lines = format_warranty(view)
    lines.append(_("Rules tried:"))
    for rule in view.rules:
        mark = _("applies") if rule.applies else _("does not apply")
        lines.append(f"  [{mark}] {rule.rule.value}: {rule.reason.render()}")
    print("\n".join(lines))
    return 0


def override_command(args: argparse.Namespace, db: Database) -> int:
    regime = parse_regime(args.regime)
    until: date | None = None
    if args.until:
        try:
            until = date.fromisoformat(args.until)
        except ValueError:
            raise ValidationError(
                _("“{field}” must be a date written YYYY-MM-DD, not “{value}”.").format(
                    field="--until", value=args.until
                ),
                field="until",
            ) from None
    with db.unit_of_work() as uow:
        override(uow, args.code, regime, args.user, until=until, why=args.reason)
        uow.commit()
    return 0
