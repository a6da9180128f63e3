"""Translations and locale formatting, shared by the core and the UI.

One gettext catalogue set (``resources/locale/<lang>/LC_MESSAGES/repairshop.po``)
serves every string a person sees. The catalogues are read with Babel straight
from the ``.po`` files, so there is no compile step to forget; what Babel compiles is kept
in this computer's cache under the ``.po`` text's checksum, so a start reads a compiled
catalogue instead of parsing one (see :func:`compiled_catalogue`).

Two kinds of language are in play at once: the *UI language* (the clerk's,
process-wide, used by :func:`_`) and a document's language (the customer's),
for which :func:`translator` gives a separate translator.
"""

from __future__ import annotations

import copy
import gettext
import io
import locale
import os
import re
import threading
import zlib
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.dates import get_day_names
from babel.dates import parse_date as _babel_parse_date
from babel.numbers import NumberPattern, format_decimal

from repairshop.resources import resource_path

if TYPE_CHECKING:  # Babel's message modules load only to compile a changed catalogue
    from babel.messages.catalog import Catalog

DOMAIN = "repairshop"
SOURCE_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("en", "cs", "de", "pl", "ru", "hu")
"""The languages RepairShop ships, English (the source) first."""

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "cs": "Čeština",
    "de": "Deutsch",
    "pl": "Polski",
    "ru": "Русский",
    "hu": "Magyar",
}
"""Each language's name in itself, as a language menu shows it."""

PLURAL_FORMS: dict[str, str] = {
    "en": "nplurals=2; plural=(n != 1);",
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
"""Each language's gettext ``Plural-Forms``: CLDR's whole-number rules, as GNU gettext writes them.

Set on every catalogue (when it is read for translating and when it is updated)
whatever plural data the installed Babel carries: older Babel releases give
Hungarian a single form, which CLDR and gettext replaced with one/other long ago.
"""

_lock = threading.Lock()
_ui_language = SOURCE_LANGUAGE


def set_plural_forms(catalog: Catalog, language: str) -> Catalog:
    """``catalog`` with :data:`PLURAL_FORMS`' header for ``language`` (if RepairShop has one)."""
    forms = PLURAL_FORMS.get(normalise_language(language))
    if forms is not None:
        catalog.mime_headers = [("Plural-Forms", forms)]
    return catalog


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it yet."""
    return message


class InContext(str):
    """A source string that carries its gettext context (``msgctxt``).

    One English word can need two translations: "Received" is a job's status
    (de "Angenommen") and a goods receipt (de "Wareneingang"). The context
    tells the catalogue which one is meant; :func:`_` and :func:`gettext_in`
    use it, and everywhere else the value is the plain English string.
    """

    __slots__ = ("context",)
    context: str

    def __new__(cls, context: str, message: str) -> InContext:
        marked = super().__new__(cls, message)
        marked.context = context
        return marked


def NC_(context: str, message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string with its context (``msgctxt``) for extraction, translated when shown."""
    return InContext(context, message)


def pgettext(context: str, message: str) -> str:
    """Translate a string that needs its context into the UI language."""
    return translator(_ui_language).pgettext(context, message)


def gettext_in(language: str, message: str) -> str:
    """Translate ``message`` (plain or :func:`NC_`-marked) into ``language``."""
    if isinstance(message, InContext):
        return translator(language).pgettext(message.context, message)
    return translator(language).gettext(message)


def normalise_language(language: str | None) -> str:
    """Map ``cs_CZ.UTF-8``, ``de-AT`` or ``None`` to one of :data:`LANGUAGES`."""
    if not language:
        return SOURCE_LANGUAGE
    code = language.replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else SOURCE_LANGUAGE


COUNTRY_LANGUAGES: dict[str, str] = {
    "CZ": "cs",
    "SK": "cs",
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "LI": "de",
    "PL": "pl",
    "HU": "hu",
    "RU": "ru",
    "BY": "ru",
    "KZ": "ru",
}
"""The language RepairShop speaks to a customer in each country, where it is not English
(a Slovak reads Czech papers; an Austrian German ones)."""


def country_language(country: str | None) -> str:
    """The language a shop in ``country`` (ISO 3166 alpha-2) speaks to a new customer;
    English where it is none of ours."""
    return COUNTRY_LANGUAGES.get((country or "").strip().upper(), SOURCE_LANGUAGE)


_NO_LANGUAGE = frozenset({"c", "posix"})
"""Locale names that say nothing of a language (``C.UTF-8``, the default of minimal installs)."""


def _says_no_language(value: str) -> bool:
    return value.split(".", maxsplit=1)[0].split("@", maxsplit=1)[0].strip().lower() in _NO_LANGUAGE


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The desktop's language, if RepairShop speaks it; else English.

    As gettext reads it: ``LANGUAGE`` first, a list of languages by preference
    (``sk:cs:en``), the first RepairShop speaks wins; then the locale of messages,
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first that names a language (a
    ``C`` or ``POSIX`` locale names none, so ``LANGUAGE=cs`` under ``LANG=C.UTF-8``
    is Czech).
    """
    env = os.environ if environ is None else environ
    for entry in env.get("LANGUAGE", "").split(":"):
        if entry.strip() and not _says_no_language(entry):
            code = entry.replace("-", "_").split(".")[0].split("_")[0].strip().lower()
            if code in LANGUAGES:
                return code
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value.strip() and not _says_no_language(value):
            return normalise_language(value)
    if environ is not None:
        return SOURCE_LANGUAGE
    return normalise_language(locale.getlocale()[0])


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The translator for ``language``; English or a missing catalogue gives the source text."""
    language = normalise_language(language)
    po_path = resource_path("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
    if language == SOURCE_LANGUAGE or not po_path.is_file():
        return gettext.NullTranslations()
    source = po_path.read_bytes()
    try:
        return gettext.GNUTranslations(io.BytesIO(compiled_catalogue(language, source)))
    except (OSError, ValueError, IndexError, UnicodeError):  # a damaged copy: compile again
        return gettext.GNUTranslations(io.BytesIO(_compile(language, source)))


def catalogue_cache() -> Path:
    """Where compiled catalogues are kept (this computer's cache folder for RepairShop)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("RepairShop", appauthor=False)) / "locale"


def compiled_catalogue(language: str, source: bytes) -> bytes:
    """The ``.mo`` form of the ``.po`` text ``source``: read from the cache when this very
    text was compiled before (its checksum and length name the file), else compiled with
    Babel (30–45 ms a language, and Babel's message modules) and kept there. A cache that
    cannot be written (a read-only home) only means compiling at each start."""
    digest = f"{zlib.crc32(source):08x}{len(source):x}"  # no OpenSSL to load for a file name
    folder = catalogue_cache()
    kept = folder / f"{DOMAIN}-{language}-{digest}.mo"
    try:
        return kept.read_bytes()
    except OSError:
        pass
    compiled = _compile(language, source)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for older in folder.glob(f"{DOMAIN}-{language}-*.mo"):
            older.unlink(missing_ok=True)  # an earlier version's catalogue
        written = kept.with_name(f"{kept.name}.{os.getpid()}")
        written.write_bytes(compiled)
        os.replace(written, kept)  # whole or not at all, also with two starts at once
    except OSError:
        pass
    return compiled


def _compile(language: str, source: bytes) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = set_plural_forms(
        read_po(io.BytesIO(source), locale=language, domain=DOMAIN), language
    )
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def set_ui_language(language: str) -> str:
    """Switch the language of :func:`_`; returns the language actually used."""
    global _ui_language  # noqa: PLW0603 - the one process-wide UI language
    with _lock:
        _ui_language = normalise_language(language)
        return _ui_language


def ui_language() -> str:
    return _ui_language


def _(message: str) -> str:
    """Translate into the UI language (a string marked with :func:`NC_` in its context)."""
    return gettext_in(_ui_language, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a counted phrase into the UI language (plural forms per language)."""
    return translator(_ui_language).ngettext(singular, plural, count)


NOUNS_CAPITALISED: frozenset[str] = frozenset({"de"})
"""Languages that write every noun with a capital, even mid-sentence."""


def in_sentence(label: str, language: str | None = None) -> str:
    """A heading such as "Device type" as it reads inside a sentence: "by device type"."""
    if (language or ui_language()) in NOUNS_CAPITALISED:
        return label
    return label[:1].lower() + label[1:]


def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(normalise_language(language))
    except UnknownLocaleError:  # pragma: no cover - every shipped language is known to Babel
        return Locale.parse(SOURCE_LANGUAGE)


_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
ISO_4217_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(_ZERO_DECIMALS.split(), 0),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}
"""ISO 4217 minor units that are not 2 (every other currency has 2)."""

WHOLE_UNITS_ON_DOCUMENTS = frozenset({"HUF"})
"""Currencies whose amounts are charged and written in whole units (forints: no fillér on
a document since 1999, though ISO 4217 and the stored amounts keep two decimals)."""


def currency_exponent(currency: str) -> int:
    """Decimal places of a stored amount: ISO 4217's minor unit, fixed for good.

    Not the display precision (Babel's CLDR data shows forints without fillér and
    changes between releases): what is stored must never change meaning.
    """
    return ISO_4217_EXPONENTS.get(currency.upper(), 2)


def money_digits(amount: Decimal, currency: str) -> int:
    """The decimals an amount is written with: its currency's minor units ("3 490,00 Kč"),
    none for a currency charged in whole units ("3 490 Ft") unless the amount has some."""
    exponent = currency_exponent(currency)
    stored = amount.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)
    if currency.upper() in WHOLE_UNITS_ON_DOCUMENTS and stored == stored.to_integral_value():
        return 0
    return exponent


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """An amount with its currency, the one way every label, field, table and document writes
    it: "3 490,00 zł", "3 490 Ft" (see :func:`money_digits`); never rounded below what is
    stored, so what a field shows reads back as the same amount."""
    locale = babel_locale(language or _ui_language)
    pattern = copy.copy(locale.currency_formats["standard"])
    return _apply(pattern, amount, currency, locale)


def format_figure(amount: Decimal, currency: str, language: str | None = None) -> str:
    """An amount as :func:`format_money` writes it, without the currency: a table's figure
    under a heading such as "Price" ("899,00"; "899" in forints)."""
    locale = babel_locale(language or _ui_language)
    return _apply(copy.copy(locale.decimal_formats[None]), amount, currency, locale)


def _apply(pattern: NumberPattern, amount: Decimal, currency: str, locale: Locale) -> str:
    digits = money_digits(amount, currency)
    pattern.frac_prec = (digits, digits)
    return str(
        pattern.apply(
            amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP),
            locale,
            currency=currency,
            currency_digits=False,
        )
    )


def format_number(value: Decimal | float | int, language: str | None = None) -> str:
    return format_decimal(value, locale=babel_locale(language or _ui_language))


DATE_STYLES: dict[str, tuple[str, str]] = {
    "en": ("en_GB", "short"),  # 07/12/2026: day first, as everywhere RepairShop's shops are
    "cs": ("cs", "medium"),  # 7. 12. 2026 (ČSN 01 6910)
    "de": ("de", "medium"),  # 07.12.2026
    "pl": ("pl", "short"),  # 7.12.2026
    "ru": ("ru", "short"),  # 07.12.2026
    "hu": ("hu", "short"),  # 2026. 12. 07.
}
"""Each language's one way of writing a day: a CLDR pattern of its own locale (Babel's),
numeric with the whole year. Every field, list, card, history, printout and report
writes days and moments through :func:`format_day` and :func:`format_moment`, so a
language never mixes "12/7/2026" with "Dec 7, 2026"."""


def _date_locale(language: str | None) -> Locale:
    locale_name, _style = DATE_STYLES.get(
        normalise_language(language or _ui_language), ("en_GB", "short")
    )
    return Locale.parse(locale_name)


def date_pattern(language: str | None = None) -> str:
    """The CLDR pattern of :func:`format_day` in ``language`` (the UI's by default)."""
    code = normalise_language(language or _ui_language)
    _name, style = DATE_STYLES.get(code, ("en_GB", "short"))
    pattern = str(_date_locale(code).date_formats[style].pattern)
    return pattern.replace("yy", "y") if "yyy" not in pattern else pattern


def time_pattern(language: str | None = None) -> str:
    """The CLDR pattern of a time of day in ``language``: the locale's own short time."""
    return str(_date_locale(language).time_formats["short"].pattern)


def read_day(text: str, language: str | None = None) -> date:
    """A day typed as :func:`format_day` writes it in ``language`` ("24.12.2026",
    "2026. 12. 24."), or as ISO 8601 ("2026-12-24"); ``ValueError`` for anything else."""
    text = text.strip()
    if _ISO_DAY.fullmatch(text):
        return date.fromisoformat(text)
    if not _NUMERIC_DAY.fullmatch(text):
        raise ValueError(text)
    code = normalise_language(language or _ui_language)
    _name, style = DATE_STYLES.get(code, ("en_GB", "short"))
    try:
        return _babel_parse_date(text, locale=_date_locale(code), format=style)
    except (IndexError, ValueError):
        raise ValueError(text) from None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC_DAY = re.compile(r"\d{1,4}[./ -]+\d{1,2}[./ -]+\d{1,4}\.?")


def format_day(day: date, language: str | None = None, style: str = "medium") -> str:
    """A day as ``language`` writes it (:data:`DATE_STYLES`); ``style="long"`` only inside
    a sentence ("by 7 December 2026"), never in a field, list or table."""
    code = normalise_language(language or _ui_language)
    if style == "long":
        return _babel_format_date(day, format="long", locale=_date_locale(code))
    return _babel_format_date(day, format=date_pattern(code), locale=_date_locale(code))


def format_time_of_day(moment: datetime, language: str | None = None) -> str:
    """The time of a (local) moment as ``language`` writes it: 14:05."""
    return _babel_format_datetime(
        moment, format=time_pattern(language), tzinfo=moment.tzinfo, locale=_date_locale(language)
    )


def format_moment(
    moment: datetime,
    language: str | None = None,
    style: str = "short",
    tz: tzinfo | None = None,
) -> str:
    """A UTC moment in the local (or given) time zone: the day of :func:`format_day` and the
    time of day, joined as the language joins them ("7. 12. 2026 14:05")."""
    del style  # one style: kept so that older callers need not change
    local = moment.astimezone(tz)
    code = normalise_language(language or _ui_language)
    glue = str(_date_locale(code).datetime_formats["short"])
    return glue.replace("{1}", format_day(local.date(), code)).replace(
        "{0}", format_time_of_day(local, code)
    )


def format_duration(hours: float, language: str | None = None) -> str:
    """A length of time as people say it: "3 d 4 h", "5 h", "40 min" (not "76.0 h")."""
    code = normalise_language(language or _ui_language)
    minutes = round(hours * 60)
    if minutes < 60:
        text, values = N_("{minutes} min"), {"minutes": minutes}
    else:
        days, rest = divmod(round(hours), 24)
        if days == 0:
            text, values = N_("{hours} h"), {"hours": rest}
        elif rest == 0:
            text, values = N_("{days} d"), {"days": days}
        else:
            text, values = N_("{days} d {hours} h"), {"days": days, "hours": rest}
    numbers = {
        key: format_decimal(value, locale=babel_locale(code)) for key, value in values.items()
    }
    return gettext_in(code, text).format(**numbers)


def weekday_names(language: str | None = None) -> tuple[str, ...]:
    """The seven weekday names, Monday first, as the language writes them (Babel's CLDR)."""
    names = get_day_names("wide", locale=babel_locale(language or _ui_language))
    return tuple(str(names[day]) for day in range(7))
