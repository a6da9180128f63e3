"""The project stands alone: nothing in it points at documents outside the repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = tuple(
    "".join(parts) for parts in (("../", "shared"), ("DES", "IGN.md"), ("DES", "IGN §"))
)
"""Names of documents outside the repository, spelt in parts so this file does not hold them."""


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
    offenders = []
    for path in tracked_text_files():
        if not path.is_file():
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
