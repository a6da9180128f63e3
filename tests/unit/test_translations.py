"""The catalogues: complete in every language, plural forms right, and every shown string marked.

Fails on an empty or fuzzy translation, a placeholder lost in translation, a
catalogue older than the code (run ``python -m repairshop.translations update``),
and a literal string handed to a widget without ``_()``.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from repairshop.domain.statuses import JobStatus, JobType
from repairshop.i18n import (
    LANGUAGES,
    NC_,
    PLURAL_FORMS,
    SOURCE_LANGUAGE,
    gettext_in,
    in_sentence,
    set_plural_forms,
    set_ui_language,
    translator,
)
from repairshop.services.parts.purchasing import OrderStatus
from repairshop.services.parts.stock import MovementKind
from repairshop.translations import catalogue_problems, read_catalogue, stale_catalogues

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


def test_every_catalogue_holds_every_string_the_code_marks() -> None:
    assert stale_catalogues() == []


def test_one_english_word_with_two_meanings_gets_each_its_own_translation() -> None:
    set_ui_language("de")
    try:
        assert JobStatus.RECEIVED.label == "Angenommen"
        assert MovementKind.RECEIVED.label == "Wareneingang"
        assert OrderStatus.RECEIVED.label == "Geliefert"
    finally:
        set_ui_language("en")
    assert MovementKind.RECEIVED.label == "Received"
    assert gettext_in("pl", NC_("person", "Name")) == "Imię i nazwisko"
    assert gettext_in("pl", "Name") == "Nazwa"
    assert gettext_in("en", NC_("person", "Name")) == "Name"


def test_a_heading_inside_a_sentence_keeps_german_nouns_capitalised() -> None:
    assert in_sentence("Device type", "en") == "device type"
    assert in_sentence("Gerätetyp", "de") == "Gerätetyp"
    assert in_sentence("Typ zařízení", "cs") == "typ zařízení"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_is_complete_and_its_placeholders_intact(language: str) -> None:
    assert catalogue_problems(language) == []


@pytest.mark.parametrize(
    ("language", "one", "few", "many"),
    [("cs", 1, 3, 5), ("pl", 1, 3, 5), ("ru", 1, 3, 5)],
)
def test_slavic_languages_have_three_forms_for_counted_jobs(
    language: str, one: int, few: int, many: int
) -> None:
    catalogue = read_catalogue(language)
    assert catalogue.num_plurals == 3
    forms = {
        translator(language).ngettext("{count} job", "{count} jobs", n).format(count=n)
        for n in (one, few, many)
    }
    assert len(forms) == 3, forms


@pytest.mark.parametrize(
    ("language", "stem"),
    [
        ("cs", "reklamac"),
        ("de", "garantie"),
        ("pl", "gwarancyj"),
        ("ru", "гарант"),
        ("hu", "jótállás"),
    ],
)
def test_a_warranty_claim_uses_the_trades_own_word(language: str, stem: str) -> None:
    assert stem in translator(language).gettext("Warranty claim").lower()


@pytest.mark.parametrize("language", TRANSLATED)
def test_status_and_job_type_labels_follow_the_ui_language(language: str) -> None:
    try:
        set_ui_language(language)
        labels = [status.label for status in JobStatus] + [kind.label for kind in JobType]
    finally:
        set_ui_language(SOURCE_LANGUAGE)
    english = [status.label for status in JobStatus] + [kind.label for kind in JobType]
    assert len(set(labels)) == len(labels)
    assert all(mine != theirs for mine, theirs in zip(labels, english, strict=True)), labels


PLURAL_FORMS_HEADERS = {
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "de": "nplurals=2; plural=(n != 1);",
    "pl": (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "hu": "nplurals=2; plural=(n != 1);",
}
"""The ``Plural-Forms`` each catalogue must carry: CLDR's rules, as GNU gettext writes them."""

CLDR_INTEGER_RULES: dict[str, tuple[tuple[str, Callable[[int], bool]], ...]] = {
    # CLDR plurals.xml for whole numbers (v = 0, i = n), categories in gettext's form order.
    "cs": (("one", lambda i: i == 1), ("few", lambda i: 2 <= i <= 4), ("other", lambda i: True)),
    "de": (("one", lambda i: i == 1), ("other", lambda i: True)),
    "pl": (
        ("one", lambda i: i == 1),
        ("few", lambda i: 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14),
        ("many", lambda i: True),
    ),
    "ru": (
        ("one", lambda i: i % 10 == 1 and i % 100 != 11),
        ("few", lambda i: 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14),
        ("many", lambda i: True),
    ),
    "hu": (("one", lambda i: i == 1), ("other", lambda i: True)),
}


def cldr_form(language: str, count: int) -> int:
    return next(n for n, (_name, rule) in enumerate(CLDR_INTEGER_RULES[language]) if rule(count))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalogue_has_cldrs_plural_forms_and_the_app_counts_by_them(language: str) -> None:
    headers = dict(read_catalogue(language).mime_headers)
    assert headers["Plural-Forms"] == PLURAL_FORMS_HEADERS[language]
    assert PLURAL_FORMS[language] == PLURAL_FORMS_HEADERS[language]
    choose = translator(language).plural
    assert [choose(n) for n in range(1001)] == [cldr_form(language, n) for n in range(1001)]


def test_hungarian_has_one_and_other_whatever_babel_says() -> None:
    stale = read_po(
        io.BytesIO(
            b'msgid ""\nmsgstr ""\n"Language: hu\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n'
        ),
        locale="hu",
    )
    assert set_plural_forms(stale, "hu").plural_forms == "nplurals=2; plural=(n != 1);"
    assert read_catalogue("hu").num_plurals == 2
    hungarian = translator("hu")
    assert (hungarian.plural(1), hungarian.plural(2)) == (0, 1)
    assert hungarian.ngettext("{count} part", "{count} parts", 3) == "{count} alkatrész"


# Qt calls whose first argument a person reads, and widgets whose first argument is their text.
SHOWN_BY_CALL = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setTitle",
    "setLabelText",
    "setStatusTip",
    "setInformativeText",
    "setSpecialValueText",
    "setSuffix",
    "setPrefix",
    "addTab",
    "insertTab",
    "setTabText",
    "addItem",
    "addRow",
    "showMessage",
    "addButton",
    "setHorizontalHeaderLabels",
}
SHOWN_BY_WIDGET = {
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QToolButton",
    "QMenu",
}


def _literal_text(node: ast.expr) -> str | None:
    """A string a person would read: a literal (or f-string) with letters in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    else:
        return None
    # Markup, separators, codes and shortcuts carry no words.
    stripped = "".join(ch for ch in text if ch.isalpha())
    if len(stripped) < 2 or text.startswith(("<", "Ctrl+", "Alt+", "#")):
        return None
    return text


def _unmarked_strings(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = (
            node.func.attr
            if isinstance(node.func, ast.Attribute)
            else node.func.id
            if isinstance(node.func, ast.Name)
            else ""
        )
        if name not in SHOWN_BY_CALL and name not in SHOWN_BY_WIDGET:
            continue
        text = _literal_text(node.args[0])
        if text is not None:
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{where}:{node.lineno}: {name}({text!r})")
    return found


def test_no_string_shown_in_the_ui_is_left_unmarked() -> None:
    unmarked: list[str] = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        unmarked += _unmarked_strings(path)
    assert unmarked == []


def test_the_scan_finds_an_unmarked_string(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'button = QPushButton("Save job")\nlabel.setText(_("Marked"))\nlabel.setText("<b>")\n',
        encoding="utf-8",
    )
    assert _unmarked_strings(sample) == ["sample.py:1: QPushButton('Save job')"]
