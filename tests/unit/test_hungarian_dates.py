"""A Hungarian date ends with a dot ("2027. 06. 03."): a case ending glued to it reads
"2027. 06. 03.-ig", which is wrong Hungarian. The sentences say "{until} napjáig" instead."""

from __future__ import annotations

import re
from datetime import date

from babel.messages.pofile import read_po

from repairshop.i18n import format_day
from repairshop.translations import po_path

DATES = ("date", "day", "until", "purchased", "delivered", "collected", "burden_until", "issued")
GLUED = re.compile(r"\{(" + "|".join(DATES) + r")\}-\w")


def test_a_hungarian_date_is_the_dot_form() -> None:
    assert format_day(date(2027, 6, 3), "hu").endswith("03.")


def test_no_hungarian_sentence_glues_a_case_ending_to_a_date() -> None:
    with po_path("hu").open("rb") as file:
        catalogue = read_po(file)
    glued = []
    for message in catalogue:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        glued += [text for text in texts if text and GLUED.search(text)]
    assert glued == []
