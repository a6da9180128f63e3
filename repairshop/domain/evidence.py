"""Intake evidence without I/O: condition checklists, pattern locks, signatures.

A checklist is a list of point keys per device type (the shop may change them); each point
is answered with a :class:`PointState` at intake and again before the job is ready, and the
two answers are compared point by point. A pattern lock is the order of the dots touched on
a 3×3 grid, numbered 1–9 row by row. A signature is strokes of points scaled to 0…1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from repairshop.errors import ValidationError
from repairshop.i18n import N_, _


class PointState(StrEnum):
    OK = "ok"
    SCRATCHED = "scratched"
    CRACKED = "cracked"
    NOT_WORKING = "not_working"
    MISSING = "missing"
    NOT_CHECKED = "not_checked"

    @property
    def label(self) -> str:
        return _(POINT_STATE_LABELS[self])


POINT_STATE_LABELS: dict[PointState, str] = {
    PointState.OK: N_("OK"),
    PointState.SCRATCHED: N_("Scratched"),
    PointState.CRACKED: N_("Cracked"),
    PointState.NOT_WORKING: N_("Does not work"),
    PointState.MISSING: N_("Missing"),
    PointState.NOT_CHECKED: N_("Not checked"),
}


class Stage(StrEnum):
    INTAKE = "intake"
    FINAL = "final"


POINT_LABELS: dict[str, str] = {
    "screen": N_("Screen"),
    "frame": N_("Frame"),
    "back": N_("Back cover"),
    "buttons": N_("Buttons"),
    "cameras": N_("Cameras"),
    "speakers": N_("Speakers"),
    "microphone": N_("Microphone"),
    "charging_port": N_("Charging port"),
    "biometrics": N_("Face ID / Touch ID"),
    "sim_tray": N_("SIM tray"),
    "water_indicator": N_("Water indicator"),
    "keyboard": N_("Keyboard"),
    "touchpad": N_("Touchpad"),
    "hinges": N_("Hinges"),
    "ports": N_("Ports"),
    "battery": N_("Battery"),
    "casing": N_("Casing"),
    "controllers": N_("Controllers"),
    "disc_drive": N_("Disc drive"),
    "power_cord": N_("Power cord"),
    "strap": N_("Strap"),
}

_PHONE = (
    "screen",
    "frame",
    "back",
    "buttons",
    "cameras",
    "speakers",
    "microphone",
    "charging_port",
    "biometrics",
    "sim_tray",
    "water_indicator",
)
DEFAULT_CHECKLISTS: dict[str, tuple[str, ...]] = {
    "phone": _PHONE,
    "tablet": ("screen", "frame", "back", "buttons", "cameras", "speakers", "charging_port"),
    "laptop": ("screen", "keyboard", "touchpad", "hinges", "ports", "battery", "casing"),
    "desktop": ("casing", "ports", "power_cord"),
    "console": ("casing", "ports", "controllers", "disc_drive", "power_cord"),
    "watch": ("screen", "frame", "buttons", "strap", "charging_port"),
    "appliance": ("casing", "buttons", "power_cord"),
    "other": ("casing", "buttons", "ports"),
}
MAX_POINTS = 30


def point_label(key: str) -> str:
    """A point's translated name; a point the shop added itself is shown as typed."""
    label = POINT_LABELS.get(key)
    return _(label) if label else key


def point_key(name: str) -> str:
    """A point as an administrator types it: a built-in point by its key or its name, in the
    desk's language or in English ("Ekran" is ``screen``); a shop's own point as typed."""
    typed = " ".join(name.split())
    folded = typed.casefold()
    for key, label in POINT_LABELS.items():
        if folded in (key, label.casefold(), _(label).casefold()):
            return key
    return typed


def parse_checklist(text: str) -> tuple[str, ...]:
    """A checklist setting (points separated by commas) as its point keys, checked."""
    points: list[str] = []
    for item in text.split(","):
        point = " ".join(item.split())
        if not point:
            continue
        if len(point) > 60:
            raise ValidationError(_("A checklist point is at most 60 characters."), field="point")
        if point not in points:
            points.append(point)
    if not points or len(points) > MAX_POINTS:
        raise ValidationError(
            _("A checklist has from 1 to {count} points, separated by commas.").format(
                count=MAX_POINTS
            ),
            field="checklist",
        )
    return tuple(points)


def parse_state(value: str) -> PointState:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return PointState(key)
    except ValueError:
        keys = ", ".join(state.value for state in PointState)
        raise ValidationError(
            _("Unknown condition “{value}”. Conditions are: {keys}.").format(
                value=value, keys=keys
            ),
            field="checklist",
        ) from None


@dataclass(frozen=True)
class PointAnswer:
    point: str
    state: PointState
    note: str = ""


def check_answers(
    points: Sequence[str], answers: Iterable[PointAnswer], *, complete: bool
) -> list[PointAnswer]:
    """The answers in the checklist's order; with ``complete`` every point must be answered."""
    by_point = {answer.point: answer for answer in answers}
    unknown = [point for point in by_point if point not in points]
    if unknown:
        raise ValidationError(
            _("“{point}” is not on this device's checklist.").format(point=unknown[0]),
            field="checklist",
        )
    missing = [point for point in points if point not in by_point]
    if complete and missing:
        raise ValidationError(
            _("Check every point of the condition checklist first; not answered: {points}.").format(
                points=", ".join(point_label(point) for point in missing)
            ),
            field="checklist",
        )
    return [by_point[point] for point in points if point in by_point]


@dataclass(frozen=True)
class Compared:
    point: str
    before: PointState | None
    after: PointState | None

    @property
    def changed(self) -> bool:
        return self.before is not None and self.after is not None and self.before != self.after


def compare(
    points: Sequence[str],
    before: dict[str, PointState],
    after: dict[str, PointState],
) -> list[Compared]:
    """Each point with its state at intake and at the end; points answered only once follow."""
    order = list(points) + [p for p in [*before, *after] if p not in points]
    return [Compared(point, before.get(point), after.get(point)) for point in dict.fromkeys(order)]


def parse_pattern(value: str | Sequence[int]) -> str:
    """A pattern lock as stored: the dots in order, e.g. ``"1-5-9-6"``; empty for none.

    Accepts ``"1596"``, ``"1-5-9-6"`` or a list of dot numbers. At least four dots, each
    once, numbered 1–9 row by row from the top left.
    """
    if isinstance(value, str):
        digits = [c for c in value if not c.isspace() and c not in "-,"]
        if not digits:
            return ""
        if not all(c.isdigit() for c in digits):
            raise ValidationError(
                _("A pattern lock is the dots' numbers 1–9 in order, e.g. 1-5-9-6."),
                field="pattern_lock",
            )
        dots = [int(c) for c in digits]
    else:
        dots = list(value)
        if not dots:
            return ""
    if any(not 1 <= dot <= 9 for dot in dots) or len(set(dots)) != len(dots) or len(dots) < 4:
        raise ValidationError(
            _("A pattern lock joins at least 4 different dots of 1–9."), field="pattern_lock"
        )
    return "-".join(str(dot) for dot in dots)


Stroke = list[tuple[float, float]]
MAX_SIGNATURE_POINTS = 5000


def signature_json(strokes: Sequence[Sequence[tuple[float, float]]]) -> str:
    """Strokes (points scaled to 0…1, y down) as stored; an empty signature is refused."""
    cleaned = [
        [(round(min(max(x, 0.0), 1.0), 4), round(min(max(y, 0.0), 1.0), 4)) for x, y in stroke]
        for stroke in strokes
        if stroke
    ]
    count = sum(len(stroke) for stroke in cleaned)
    if count < 2:
        raise ValidationError(_("The signature is empty: sign in the box."), field="signature")
    if count > MAX_SIGNATURE_POINTS:
        raise ValidationError(_("The signature is too long."), field="signature")
    return json.dumps(cleaned, separators=(",", ":"))


def signature_strokes(text: str) -> list[Stroke]:
    return [[(float(x), float(y)) for x, y in stroke] for stroke in json.loads(text)]
