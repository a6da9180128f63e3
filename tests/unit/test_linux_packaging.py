"""The Linux menu entry, AppStream metainfo and icons pass the freedesktop validators."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "org.repairshop.RepairShop"
DESKTOP = ROOT / "packaging" / "linux" / f"{APP_ID}.desktop"
METAINFO = ROOT / "packaging" / "linux" / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def run_validator(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} is missing: bash packaging/install.sh --dev installs it")
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_desktop_entry_is_valid() -> None:
    result = run_validator("desktop-file-validate", str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # not even a hint


def test_the_metainfo_is_valid() -> None:
    result = run_validator("appstreamcli", "validate", "--no-net", "--strict", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_entry_the_metainfo_and_the_icons_name_each_other() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Icon"] == APP_ID
    assert section["Exec"] == "repairshop-gui"
    component = ElementTree.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP.name
    languages = {"cs", "de", "hu", "pl", "ru"}
    assert {key[8:-1] for key in section if key.startswith("Comment[")} == languages
    summaries = component.findall("summary")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {summary.get(lang) for summary in summaries} == {None, *languages}


@pytest.mark.parametrize("size", SIZES)
def test_an_icon_of_every_usual_size(size: int) -> None:
    png = (ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (size, size)


def test_a_scalable_icon_the_same_as_the_source() -> None:
    scalable = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ROOT / "resources" / "icons" / "repairshop.svg").read_bytes()
    assert ElementTree.parse(scalable).getroot().tag == "{http://www.w3.org/2000/svg}svg"
