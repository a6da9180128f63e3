"""The desktop's language as gettext reads it: LANGUAGE, then LC_ALL, LC_MESSAGES, LANG."""

from __future__ import annotations

import pytest

from repairshop.i18n import system_language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANGUAGE": "cs", "LANG": "C.UTF-8"}, "cs"),  # a minimal install's default locale
        ({"LANGUAGE": "sk:cs:en", "LANG": "sk_SK.UTF-8"}, "cs"),  # the first one we speak
        ({"LANGUAGE": "de_AT:en", "LC_ALL": "C"}, "de"),
        ({"LANGUAGE": "", "LANG": "pl_PL.UTF-8"}, "pl"),
        ({"LC_MESSAGES": "hu_HU.UTF-8", "LANG": "C.UTF-8"}, "hu"),
        ({"LC_ALL": "ru_RU.UTF-8", "LC_MESSAGES": "de_DE.UTF-8", "LANG": "cs_CZ.UTF-8"}, "ru"),
        ({"LC_MESSAGES": "POSIX", "LANG": "de_DE.UTF-8"}, "de"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # a language RepairShop does not speak
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_follows_language_and_lc_messages_as_well_as_lang(
    environ: dict[str, str], expected: str
) -> None:
    assert system_language(environ) == expected
