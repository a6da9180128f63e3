"""argparse's own words (usage, errors, help headings) in the user's language.

argparse looks its messages up with the module-level ``gettext``; pointing that
at RepairShop's catalogue translates them with everything else. The messages
are listed here, in the wording of the Python versions RepairShop supports, so
the extractor puts them in the catalogue; a wording a future Python changes
simply stays English until the list follows it.
"""

from __future__ import annotations

import argparse

from repairshop.i18n import N_, _, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def translate_argparse() -> None:
    """Make argparse speak the UI language (call after :func:`set_ui_language`)."""
    setattr(argparse, "_", _)  # noqa: B010 - a module global argparse reads at call time
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
