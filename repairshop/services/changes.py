"""What a service changed, so views refresh only what they show (cf. Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ChangeKind(StrEnum):
    JOB = "job"
    CUSTOMER = "customer"
    USER = "user"
    SETTINGS = "settings"
    PART = "part"
    PRICE_LIST = "price_list"
    TAKINGS = "takings"
    """Money taken or paid back at a desk, documents issued, a cash-up."""
    ALL = "all"
    """Everything may have changed (demo data, a restore)."""


@dataclass(frozen=True)
class Changes:
    kinds: frozenset[ChangeKind] = frozenset()
    job_ids: tuple[int, ...] = ()
    customer_ids: tuple[int, ...] = ()
    part_ids: tuple[int, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def touches(self, kind: ChangeKind) -> bool:
        return kind in self.kinds or ChangeKind.ALL in self.kinds

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            kinds=self.kinds | other.kinds,
            job_ids=_merged(self.job_ids, other.job_ids),
            customer_ids=_merged(self.customer_ids, other.customer_ids),
            part_ids=_merged(self.part_ids, other.part_ids),
            extra={**self.extra, **other.extra},
        )


def _merged(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    """Both id lists in order, each id once."""
    return tuple(dict.fromkeys(first + second))
