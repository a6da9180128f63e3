"""Catalogue import from CSV: a preview with a per-row report first, then all or only good rows.

Nothing is imported from a file that has errors unless the person chooses to
import the good rows; either way it happens in one transaction. A row for a SKU
already in the catalogue updates only what its cells say: an empty cell (or a
column the file does not have) keeps the stored value.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from repairshop.db.tables import Part
from repairshop.domain.money import parse_amount, to_minor
from repairshop.domain.roles import Permission, may, role_names
from repairshop.errors import RepairShopError, ValidationError
from repairshop.i18n import _, ngettext
from repairshop.services.changes import Changes
from repairshop.services.parts.stock import (
    PartInput,
    add_part,
    get_part,
    normalise_sku,
    parse_level,
    part_changes,
    update_part,
)
from repairshop.services.shop.users import get_user
from repairshop.services.uow import UnitOfWork

COLUMNS = (
    "sku",
    "name",
    "category",
    "compatible",
    "location",
    "price",
    "cost",
    "reorder_level",
    "reorder_quantity",
    "serialised",
    "supplier",
    "supplier_sku",
)
REQUIRED = ("sku", "name")
_TRUE = {"1", "yes", "true", "y", "x", "ano", "ja", "tak", "да", "igen"}
_FALSE = {"", "0", "no", "false", "n", "ne", "nein", "nie", "нет", "nem"}


@dataclass(frozen=True)
class ImportRow:
    line: int
    sku: str
    action: str
    """``add``, ``update`` or ``error``."""
    errors: tuple[str, ...]
    data: PartInput | None
    given: frozenset[str] = frozenset()
    """The fields whose cells were filled in; an update changes only these."""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[ImportRow, ...]

    @property
    def good(self) -> tuple[ImportRow, ...]:
        return tuple(row for row in self.rows if row.ok)

    @property
    def bad(self) -> tuple[ImportRow, ...]:
        return tuple(row for row in self.rows if not row.ok)

    def report(self) -> str:
        """One line per bad row, for a person to fix the file."""
        return "\n".join(
            _("line {line}: {errors}").format(line=row.line, errors="; ".join(row.errors))
            for row in self.bad
        )


class ImportRefused(ValidationError):
    """A file with bad rows, refused whole; ``preview.report()`` says what to fix."""

    def __init__(self, preview: ImportPreview) -> None:
        count = len(preview.bad)
        super().__init__(
            ngettext(
                "{count} row has errors; nothing was imported. Fix it, or import the good "
                "rows only.",
                "{count} rows have errors; nothing was imported. Fix them, or import the good "
                "rows only.",
                count,
            ).format(count=count)
        )
        self.preview = preview


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    skipped: int
    changes: Changes


def read_catalogue_file(path: Path) -> str:
    """A catalogue file's text: UTF-8 (with or without BOM), else Windows-1250 as Excel saves it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            _("Cannot read {file}: {reason}").format(file=path, reason=exc.strerror)
        ) from exc
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("{file} is not UTF-8 text.").format(file=path))  # pragma: no cover


def _read(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower().replace(" ", "_") for name in next(reader)]
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise ValidationError(
            _("The file is not readable CSV: {reason}").format(reason=exc)
        ) from exc
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            _(
                "The first line must name the columns; missing: {columns}. Known columns: {known}."
            ).format(columns=", ".join(missing), known=", ".join(COLUMNS))
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ValidationError(
            _("Unknown columns: {columns}. Known columns: {known}.").format(
                columns=", ".join(unknown), known=", ".join(COLUMNS)
            )
        )
    return header, rows


_FIELDS = {"supplier_sku": "supplier"}
"""A supplier's part number is stored with its supplier: the one cell needs the other."""


def _row(
    header: list[str], cells: list[str]
) -> tuple[PartInput | None, list[str], str, frozenset[str]]:
    errors: list[str] = []
    if len(cells) != len(header):
        return (
            None,
            [
                _("{found} fields where the header has {expected}.").format(
                    found=len(cells), expected=len(header)
                )
            ],
            "",
            frozenset(),
        )
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    given = frozenset(name for name, value in values.items() if value and name != "sku")
    sku = values.get("sku", "")

    def check(parse: object) -> object:
        try:
            return parse() if callable(parse) else parse
        except RepairShopError as error:
            errors.append(error.message)
            return None

    sku_checked = check(lambda: normalise_sku(sku))
    price = check(lambda: parse_amount(values.get("price"), "price"))
    cost = check(lambda: parse_amount(values.get("cost"), "cost"))
    level = check(lambda: parse_level(values.get("reorder_level", ""), "reorder_level"))
    quantity = check(lambda: parse_level(values.get("reorder_quantity", ""), "reorder_quantity"))
    serialised_text = values.get("serialised", "").lower()
    if serialised_text not in _TRUE | _FALSE:
        errors.append(
            _("“{value}” is not yes or no (serialised).").format(value=values["serialised"])
        )
    if errors:
        return None, errors, str(sku_checked or sku), given
    assert isinstance(sku_checked, str)
    assert isinstance(level, int)
    assert isinstance(quantity, int)
    return (
        PartInput(
            sku=sku_checked,
            name=values["name"],
            category=values.get("category", ""),
            compatible=values.get("compatible", ""),
            location=values.get("location", ""),
            price=price,  # type: ignore[arg-type]
            cost=cost,  # type: ignore[arg-type]
            reorder_level=level,
            reorder_quantity=quantity,
            serialised=serialised_text in _TRUE,
            supplier=values.get("supplier", ""),
            supplier_sku=values.get("supplier_sku", ""),
        ),
        [],
        sku_checked,
        given,
    )


def preview_import(uow: UnitOfWork, text: str, actor: str | None = None) -> ImportPreview:
    """Check every row; a SKU already in the catalogue is an update, a SKU twice is an error.

    A new part needs a name; an update's empty name keeps the stored one. For an ``actor``
    who may not edit prices, a row changing a stored price or cost is an error too (the good
    rows can still be imported).
    """
    header, rows = _read(text)
    parsed = [(line, *_row(header, cells)) for line, cells in rows]
    skus = [sku for _line, data, _errors, sku, _given in parsed if data is not None]
    stored = (
        {part.sku: part for part in uow.session.scalars(select(Part).where(Part.sku.in_(skus)))}
        if skus
        else {}
    )
    existing = set(stored)
    fixed_prices = actor is not None and not may(get_user(uow, actor).role, Permission.EDIT_PRICES)
    first_line: dict[str, int] = {}
    result = []
    for line, parsed_data, parsed_errors, sku, given in parsed:
        data, errors = parsed_data, parsed_errors
        unreadable = errors and not sku and not given  # wrong number of fields
        if sku not in existing and "name" not in given and not unreadable:
            errors = [*errors, _("A part needs a name.")]
            data = None
        if data is not None:
            if sku in first_line:
                errors = [
                    _("SKU {sku} is already on line {line} of this file.").format(
                        sku=sku, line=first_line[sku]
                    )
                ]
                data = None
            else:
                first_line[sku] = line
        if (
            data is not None
            and fixed_prices
            and sku in stored
            and _changes_prices(stored[sku], data, given)
        ):
            errors = [
                _("Changing the prices of {sku} is for: {roles}.").format(
                    sku=sku, roles=role_names(Permission.EDIT_PRICES)
                )
            ]
            data = None
        if data is None:
            result.append(ImportRow(line, sku, "error", tuple(errors), None, given))
        else:
            action = "update" if sku in existing else "add"
            result.append(ImportRow(line, sku, action, (), data, given))
    return ImportPreview(tuple(result))


def _changes_prices(part: Part, data: PartInput, given: frozenset[str]) -> bool:
    price, cost = part.price_minor, part.cost_minor
    if "price" in given and data.price is not None:
        price = to_minor(data.price, part.currency)
    if "cost" in given and data.cost is not None:
        cost = to_minor(data.cost, part.currency)
    return (price, cost) != (part.price_minor, part.cost_minor)


def import_catalogue(
    uow: UnitOfWork, text: str, actor: str, *, good_rows_only: bool = False
) -> ImportResult:
    """Import the rows; refused (nothing imported) if any row is bad, unless ``good_rows_only``."""
    preview = preview_import(uow, text, actor)
    if preview.bad and not good_rows_only:
        raise ImportRefused(preview)
    added = updated = 0
    part_ids: list[int] = []
    for row in preview.good:
        assert row.data is not None
        if row.action == "update":
            changed = update_part(uow, _merged(uow, row), actor)
            updated += 1
        else:
            changed = add_part(uow, row.data, actor)
            added += 1
        part_ids.append(changed.part_id)
    return ImportResult(added, updated, len(preview.bad), part_changes(*part_ids))


def _merged(uow: UnitOfWork, row: ImportRow) -> PartInput:
    """The stored entry with the row's filled-in cells over it."""
    assert row.data is not None
    part = get_part(uow, row.sku)
    stored = PartInput(
        sku=part.sku,
        name=part.name,
        category=part.category,
        compatible=part.compatible,
        location=part.location,
        reorder_level=part.reorder_level,
        reorder_quantity=part.reorder_quantity,
        serialised=part.serialised,
    )
    given = row.given | {_FIELDS[name] for name in row.given if name in _FIELDS}
    return replace(stored, **{name: getattr(row.data, name) for name in given})
