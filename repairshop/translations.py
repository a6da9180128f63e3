"""Keeping the gettext catalogues in step with the code.

    python -m repairshop.translations update   # extract strings, merge into every .po
    python -m repairshop.translations check    # list empty, fuzzy or broken translations

The template is extracted from ``repairshop/`` and ``ui/`` with the keywords
``_``, ``N_``, ``ngettext``, ``NC_`` and ``pgettext``; every catalogue in
``resources/locale`` is then updated so new strings appear (empty) and vanished ones are dropped.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from repairshop.i18n import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, set_plural_forms
from repairshop.resources import resource_path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("repairshop", "ui")
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "NC_": ((1, "c"), 2),
    "pgettext": ((1, "c"), 2),
}
_PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")


def po_path(language: str) -> Path:
    return resource_path("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")


def extract_template() -> Catalog:
    template = Catalog(project="RepairShop", domain=DOMAIN, charset="utf-8")
    for directory in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / directory,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
        ):
            template.add(
                message,
                None,
                [(f"{directory}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def read_catalogue(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="RepairShop")
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language, domain=DOMAIN)


def update_catalogues(languages: Iterable[str] | None = None) -> dict[str, int]:
    """Merge the template into each catalogue; returns untranslated counts per language."""
    template = extract_template()
    missing: dict[str, int] = {}
    for language in languages or [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]:
        catalogue = set_plural_forms(read_catalogue(language), language)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        catalogue.fuzzy = False
        catalogue.header_comment = (
            f"# {language} translation of RepairShop.\n"
            "# This file is distributed under the same license as RepairShop.\n#"
        )
        catalogue.version = "1"
        catalogue.last_translator = "RepairShop translators"
        catalogue.language_team = f"{language} <translators@repairshop.invalid>"
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po_file:
            write_po(po_file, catalogue, width=100, omit_header=False, include_lineno=False)
        missing[language] = sum(1 for message in catalogue if message.id and not _done(message))
    return missing


def _texts(value: object) -> tuple[str, ...]:
    """A message's id or string as a tuple: one item, or one per plural form."""
    if isinstance(value, tuple | list):
        return tuple(str(item or "") for item in value)
    return (str(value or ""),)


def _done(message: Message) -> bool:
    return all(_texts(message.string)) and not message.fuzzy


def _placeholders(text: str) -> set[str]:
    return {match.split(":")[0].strip("{}") for match in _PLACEHOLDER.findall(text)}


def catalogue_problems(language: str) -> list[str]:
    """Everything wrong with one catalogue, as lines a translator can act on."""
    catalogue = read_catalogue(language)
    problems: list[str] = []
    plurals = catalogue.num_plurals
    for message in catalogue:
        if not message.id:
            continue
        ids = _texts(message.id)
        strings = _texts(message.string)
        label = f"{language}: {ids[0]!r}"
        if message.fuzzy:
            problems.append(f"{label} is fuzzy")
        if not all(strings):
            problems.append(f"{label} is not translated")
            continue
        if isinstance(message.id, tuple) and len(strings) != plurals:
            problems.append(f"{label} has {len(strings)} plural forms, needs {plurals}")
        expected = _placeholders(ids[-1]) | _placeholders(ids[0])
        for string in strings:
            if not _placeholders(string) <= expected:
                problems.append(f"{label} uses placeholders the source does not have: {string!r}")
            if not isinstance(message.id, tuple) and _placeholders(string) != expected:
                problems.append(f"{label} drops or adds a placeholder: {string!r}")
    return problems


def stale_catalogues() -> list[str]:
    """Languages whose catalogue lacks strings that the code now marks."""
    template_ids = {message.id for message in extract_template() if message.id}
    stale = []
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        ids = {message.id for message in read_catalogue(language) if message.id}
        missing = template_ids - ids
        if missing:
            stale.append(
                f"{language}: {len(missing)} strings missing, e.g. {sorted(map(str, missing))[:3]}"
            )
    return stale


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        for language, count in update_catalogues().items():
            print(f"{language}: {count} untranslated")
        return 0
    if argv[:1] == ["check"]:
        problems = stale_catalogues()
        for language in LANGUAGES:
            if language != SOURCE_LANGUAGE:
                problems += catalogue_problems(language)
        print("\n".join(problems) or "All catalogues complete.")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
