"""Device types and the checks on a device's identifiers."""

from __future__ import annotations

import re
from enum import StrEnum

from repairshop.errors import ValidationError
from repairshop.i18n import N_, _


class DeviceType(StrEnum):
    PHONE = "phone"
    TABLET = "tablet"
    LAPTOP = "laptop"
    DESKTOP = "desktop"
    CONSOLE = "console"
    WATCH = "watch"
    APPLIANCE = "appliance"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _(DEVICE_TYPE_LABELS[self])


def device_type_label(key: str) -> str:
    """The translated name of a stored device type key (an unknown key as it is)."""
    try:
        return DeviceType(key).label
    except ValueError:
        return key


DEVICE_TYPE_LABELS: dict[DeviceType, str] = {
    DeviceType.PHONE: N_("Phone"),
    DeviceType.TABLET: N_("Tablet"),
    DeviceType.LAPTOP: N_("Laptop"),
    DeviceType.DESKTOP: N_("Desktop computer"),
    DeviceType.CONSOLE: N_("Game console"),
    DeviceType.WATCH: N_("Smartwatch"),
    DeviceType.APPLIANCE: N_("Appliance"),
    DeviceType.OTHER: N_("Other"),
}


def parse_device_type(value: str) -> DeviceType:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return DeviceType(key)
    except ValueError:
        keys = ", ".join(device_type.value for device_type in DeviceType)
        raise ValidationError(
            _("Unknown device type “{value}”. Device types are: {keys}.").format(
                value=value, keys=keys
            ),
            field="device.type",
        ) from None


_IMEI_SEPARATORS = re.compile(r"[\s\-/.]")


def luhn_check_digit(body: str) -> str:
    """The digit that completes ``body`` under the Luhn check (an IMEI's last digit)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(digits: str) -> bool:
    return len(digits) > 1 and luhn_check_digit(digits[:-1]) == digits[-1]


def imei_problem(value: str) -> str | None:
    """Why ``value`` is not a valid IMEI, or ``None`` when it is (shown next to the field)."""
    digits = _IMEI_SEPARATORS.sub("", value)
    if not digits.isdigit():
        return _("An IMEI has digits only.")
    if len(digits) != 15:
        return _("An IMEI has 15 digits; this one has {count}.").format(count=len(digits))
    if not luhn_valid(digits):
        return _("This IMEI's check digit is wrong: a digit has been mistyped.")
    return None


def normalise_imei(value: str | None) -> str | None:
    """The IMEI as 15 plain digits, or ``None`` when empty; refuses a wrong one."""
    if value is None or not value.strip():
        return None
    problem = imei_problem(value)
    if problem:
        raise ValidationError(
            _("IMEI “{value}”: {problem}").format(value=value.strip(), problem=problem),
            field="device.imei",
        )
    return _IMEI_SEPARATORS.sub("", value)


def normalise_serial(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().upper()
    return cleaned or None
