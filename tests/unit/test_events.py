"""Events published on a unit of work reach their handlers, in the same transaction."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine

from repairshop.bootstrap import event_handlers
from repairshop.services import events
from repairshop.services.changes import ChangeKind, Changes
from repairshop.services.events import Event, JobCancelled
from repairshop.services.parts.job_parts import free_parts_of_cancelled_job
from repairshop.services.uow import EventHandlers, UnitOfWork


@dataclass(frozen=True)
class Happened(Event):
    what: str


@dataclass(frozen=True)
class Unheard(Event):
    pass


def unit_of_work(handlers: EventHandlers, *, read_only: bool = False) -> UnitOfWork:
    return UnitOfWork(create_engine("sqlite://"), handlers=handlers, read_only=read_only)


def test_publish_runs_the_handlers_in_order_and_merges_what_they_changed() -> None:
    heard: list[str] = []

    def first(uow: UnitOfWork, event: Happened) -> Changes:
        heard.append(f"first {event.what}")
        return Changes(kinds=frozenset({ChangeKind.PART}), part_ids=(7, 8))

    def second(uow: UnitOfWork, event: Happened) -> Changes:
        heard.append(f"second {event.what}")
        return Changes(kinds=frozenset({ChangeKind.JOB}), job_ids=(3,), part_ids=(8, 9))

    handlers = EventHandlers()
    handlers.on(Happened, first)
    handlers.on(Happened, second)
    with unit_of_work(handlers) as uow:
        changes = uow.publish(Happened("cancel"))
        nothing = uow.publish(Unheard())
        assert uow.events == [Happened("cancel"), Unheard()]

    assert heard == ["first cancel", "second cancel"]
    assert changes.kinds == frozenset({ChangeKind.PART, ChangeKind.JOB})
    assert changes.part_ids == (7, 8, 9)
    assert changes.job_ids == (3,)
    assert nothing == Changes()


def test_a_read_only_unit_of_work_cannot_publish() -> None:
    with (
        unit_of_work(EventHandlers(), read_only=True) as uow,
        pytest.raises(RuntimeError, match="read-only"),
    ):
        uow.publish(Happened("look"))


def test_each_unit_of_work_starts_with_no_events() -> None:
    uow = unit_of_work(EventHandlers())
    with uow:
        uow.publish(Happened("once"))
    with uow:
        assert uow.events == []


def test_a_cancelled_job_frees_its_parts_in_every_opened_database() -> None:
    handlers = event_handlers().handlers_for(JobCancelled(1, "admin", ""))
    # Each is imported from its room when its event first comes.
    assert [getattr(handler, "handler", handler) for handler in handlers] == [
        free_parts_of_cancelled_job
    ]


def test_every_event_a_room_publishes_has_a_handler() -> None:
    published = [
        member
        for _name, member in inspect.getmembers(events, inspect.isclass)
        if issubclass(member, Event) and member.__module__ == events.__name__
    ]
    assert JobCancelled in published
    handlers = event_handlers()
    for event_type in published:
        if event_type is Event:
            continue
        event = event_type(**dict.fromkeys(event_type.__dataclass_fields__))
        assert handlers.handlers_for(event), f"{event_type.__name__} has no handler"
