from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from repairshop.i18n import set_ui_language
from repairshop.services.database import Database
from tests.helpers import SettableClock, database

# The same examples on every run (CI must not turn red by the luck of the draw); set
# HYPOTHESIS_PROFILE=explore to search afresh.
settings.register_profile("repairshop", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repairshop"))

# The UI tests run on Qt's offscreen platform: no screen needed.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _english_ui() -> Iterator[None]:
    """Messages are asserted in English whatever the machine's locale."""
    set_ui_language("en")
    yield
    set_ui_language("en")
    if not gc.isenabled():  # a UI test before this one moved collection to this thread
        from ui.main_thread_gc import collect_due

        collect_due()


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def sqlite_db(tmp_path: Path, clock: SettableClock) -> Iterator[Database]:
    with database("sqlite", tmp_path, clock) as db:
        yield db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path, clock: SettableClock) -> Iterator[Database]:
    """The same test on a SQLite file and on a PostgreSQL schema."""
    with database(request.param, tmp_path, clock) as opened:
        yield opened
