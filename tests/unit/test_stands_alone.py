"""The project stands alone: nothing in it points at documents outside the repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = ("../shared", "DESIGN.md", "DESIGN §")


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [
        ROOT / name.decode()
        for name in listed
        if name and not name.endswith((b".png", b".ttf", b".pdf", b".ico", b".lock", b".txt"))
    ]


def test_no_file_refers_to_documents_outside_the_repository() -> None:
    this_file = Path(__file__).resolve()
    offenders = []
    for path in tracked_text_files():
        if path == this_file or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        offenders += [f"{path.relative_to(ROOT)}: {word}" for word in OUTSIDE if word in text]
    assert offenders == []


def test_the_documents_it_points_to_are_there() -> None:
    for name in ("README.md", "docs/ARCHITECTURE.md", "docs/PERFORMANCE.md"):
        assert (ROOT / name).is_file(), name
