"""A start reads each language's catalogue compiled once and kept by its text's checksum: the
same translations as compiling the ``.po``; a damaged copy or a changed text is compiled again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from repairshop import i18n
from repairshop.resources import resource_path

MESSAGES = ("Intake", "Jobs", "Opening the shop's database…", "Ready for pickup")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(i18n, "catalogue_cache", lambda: tmp_path / "locale")
    i18n.translator.cache_clear()
    yield tmp_path / "locale"
    i18n.translator.cache_clear()


def source(language: str) -> bytes:
    return resource_path("locale", language, "LC_MESSAGES", "repairshop.po").read_bytes()


@pytest.mark.parametrize("language", ["cs", "de", "pl", "ru", "hu"])
def test_the_kept_catalogue_translates_as_the_po_does(cache: Path, language: str) -> None:
    compiled = i18n.translator(language)
    assert [path.name.split("-")[1] for path in cache.iterdir()] == [language]
    i18n.translator.cache_clear()
    kept = i18n.translator(language)  # read back from the cache
    for message in MESSAGES:
        assert kept.gettext(message) == compiled.gettext(message) != message


def test_a_damaged_copy_is_compiled_again(cache: Path) -> None:
    i18n.translator("cs")
    (kept,) = cache.iterdir()
    kept.write_bytes(b"\x00" * 10)
    i18n.translator.cache_clear()
    assert i18n.translator("cs").gettext("Intake") == "Příjem"


def test_a_changed_text_gets_a_new_copy_and_the_old_one_goes(cache: Path) -> None:
    text = source("de")
    first = i18n.compiled_catalogue("de", text)
    changed = text.replace(b'msgstr "Annahme"', b'msgstr "Aufnahme"', 1)
    assert changed != text
    second = i18n.compiled_catalogue("de", changed)
    assert first != second
    assert len(list(cache.iterdir())) == 1


def test_an_unwritable_cache_only_means_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(i18n, "catalogue_cache", lambda: blocked / "locale")
    assert i18n.compiled_catalogue("pl", source("pl"))
