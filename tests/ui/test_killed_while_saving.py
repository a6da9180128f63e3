"""The power goes while the app saves an intake: the real app, started offscreen as a
process of its own (tests/ui/saving_app.py clicks Save intake again and again), is killed
with SIGKILL at random moments, three times; each time the database opens and is whole
(tests/integration/test_crash_safety.py's ``assert_whole``), every intake the app said was
saved is there, and at most the one save in flight when the plug was pulled is there too.
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from repairshop.bootstrap import open_database
from repairshop.db.tables import Job
from tests.integration.test_crash_safety import assert_whole

KILLS = 3
ROOT = Path(__file__).resolve().parents[2]


def saves_until_killed(url: str, tmp_path: Path, rng: random.Random) -> list[str]:
    """Start the app saving intakes; after a random number of saves and a random moment
    more, pull the plug. The codes it said were saved."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(ROOT),
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.saving_app", "--db", url, "--no-demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    saved: list[str] = []
    try:
        assert app.stdout is not None
        wanted = rng.randint(1, 6)
        with selectors.DefaultSelector() as selector:
            selector.register(app.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + 60
            while len(saved) < wanted:
                assert selector.select(timeout=max(deadline - time.monotonic(), 0)), saved
                line = app.stdout.readline()
                assert line, f"the app ended after saving {saved}"
                saved.append(line.split()[1])
        time.sleep(rng.uniform(0, 0.05))  # a random moment in the next save
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    assert app.returncode == -signal.SIGKILL
    assert app.stdout is not None
    # What the app reported in the moment before the kill (saves finish in milliseconds on an
    # idle machine, several of them while this side slept) counts as reported too.
    saved += [line.split()[1] for line in app.stdout.read().splitlines() if line.strip()]
    return saved


def test_the_app_killed_while_saving_intakes_leaves_a_whole_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    open_database(url).dispose()
    rng = random.Random(20261205)
    said: list[str] = []
    for _kill in range(KILLS):
        said += saves_until_killed(url, tmp_path, rng)
        db = open_database(url)
        try:
            jobs = assert_whole(db)
            with db.reader() as uow:
                stored = set(uow.session.scalars(select(Job.code)))
        finally:
            db.dispose()
        assert set(said) <= stored  # a save the app reported is never lost
        assert len(said) <= jobs <= len(said) + 1  # and at most the one save in flight
        said = sorted(stored)
