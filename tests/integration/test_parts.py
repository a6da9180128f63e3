"""The parts room: catalogue, stock ledger, parts on jobs, orders, stock take, import."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from repairshop.db.tables import JobEvent, Part, StockMovement
from repairshop.demo.parts import add_demo_parts
from repairshop.domain.statuses import JobStatus
from repairshop.errors import NotFound, OutOfStock, ValidationError
from repairshop.services.changes import ChangeKind
from repairshop.services.database import Database
from repairshop.services.events import JobCancelled, JobStatusChanged
from repairshop.services.jobs.intake import intake, intake_request_from_json
from repairshop.services.jobs.workflow import JobChanged, change_status, show_job
from repairshop.services.parts.csv_import import ImportRefused, import_catalogue, preview_import
from repairshop.services.parts.job_parts import (
    describe_part_event,
    job_parts,
    jobs_with_parts_arrived,
    receive_part,
    release_part,
    reserve_part,
    use_part,
    wait_for_part,
)
from repairshop.services.parts.purchasing import (
    OrderStatus,
    propose_orders,
    receive_order,
    send_order,
)
from repairshop.services.parts.stock import (
    PartInput,
    Scanned,
    add_part,
    adjust,
    ledger_totals,
    list_parts,
    movements,
    resolve_scan,
    return_to_supplier,
    show_part,
)
from repairshop.services.parts.stocktake import apply_stock_take, review, scan, start_stock_take
from repairshop.services.uow import UnitOfWork
from tests.helpers import intake_document

SCREEN = PartInput(
    sku="scr-s23",
    name="Samsung Galaxy S23 display",
    category="Displays",
    compatible="Samsung Galaxy S23",
    location="A-03",
    price=Decimal("2490"),
    cost=Decimal("1500"),
    reorder_level=2,
    reorder_quantity=5,
    supplier="MobileParts s.r.o.",
    supplier_sku="MP-S23-LCD",
)


def commit(db: Database, action: Callable[[UnitOfWork], object]) -> object:
    with db.unit_of_work() as uow:
        result = action(uow)
        uow.commit()
    return result


def new_job(db: Database) -> str:
    with db.unit_of_work() as uow:
        code = intake(uow, intake_request_from_json(intake_document()), "admin").code
        uow.commit()
    return code


def add(db: Database, data: PartInput = SCREEN, stock: int = 0) -> None:
    with db.unit_of_work() as uow:
        add_part(uow, data, "admin")
        if stock:
            receive_part(uow, data.sku, stock, "admin")
        uow.commit()


def stock_of(db: Database, sku: str = "SCR-S23") -> tuple[int, int, int]:
    with db.reader() as uow:
        view = show_part(uow, sku)
        assert ledger_totals(uow, view.id) == (view.on_hand, view.reserved)
    return view.on_hand, view.reserved, view.available


def counts(db: Database) -> tuple[int, int]:
    with db.reader() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(StockMovement)) or 0,
            uow.session.scalar(select(func.count()).select_from(JobEvent)) or 0,
        )


def test_a_part_is_reserved_at_diagnosis_and_used_at_repair(db: Database) -> None:
    add(db, stock=3)
    code = new_job(db)
    with db.unit_of_work() as uow:
        reserve_part(uow, code, "SCR-S23", 1, "admin")
        uow.commit()
    assert stock_of(db) == (3, 1, 2)
    with db.unit_of_work() as uow:
        use_part(uow, code, "scr-s23", 1, "admin")
        uow.commit()
    assert stock_of(db) == (2, 0, 2)
    with db.reader() as uow:
        card = job_parts(uow, code)
        history = show_job(uow, code, "admin").history
        ledger = movements(uow, "SCR-S23")
    assert [(line.sku, line.used, line.reserved) for line in card.lines] == [("SCR-S23", 1, 0)]
    assert card.parts_total == Decimal("2490")
    assert [(e.kind, e.from_value, e.to_value) for e in history if e.kind == "part"] == [
        ("part", "reserved", "1 × SCR-S23"),
        ("part", "used", "1 × SCR-S23"),
    ]
    assert [m.kind.value for m in ledger] == ["used", "reserved", "received"]
    assert [
        describe_part_event(e.from_value, e.to_value, e.note) for e in history if e.kind == "part"
    ] == [
        "Part reserved: 1 × SCR-S23 (Samsung Galaxy S23 display)",
        "Part used: 1 × SCR-S23 (Samsung Galaxy S23 display)",
    ]
    assert all(m.user == "admin" for m in ledger)
    assert ledger[0].job_code == code
    assert card.estimate == Decimal("3490")  # the clerk's figure: parts never rewrite it
    assert [e for e in history if e.kind == "price"] == []


def test_the_price_follows_the_parts_reserved_awaited_and_released_but_not_the_estimate(
    db: Database,
) -> None:
    add(db, stock=1)
    code = new_job(db)

    def figures() -> tuple[Decimal | None, Decimal | None]:
        with db.reader() as uow:
            view = show_job(uow, code, "admin")
            return view.estimate, view.price

    commit(db, lambda uow: change_status(uow, code, JobStatus.DIAGNOSING, "admin"))
    assert figures() == (Decimal("3490"), Decimal("3490"))  # no line yet: the estimate
    commit(db, lambda uow: reserve_part(uow, code, "SCR-S23", 1, "admin"))
    assert figures() == (Decimal("3490"), Decimal("2490"))
    commit(db, lambda uow: wait_for_part(uow, code, "SCR-S23", 1, "admin"))
    assert figures() == (Decimal("3490"), Decimal("4980"))  # the awaited screen is priced too
    commit(db, lambda uow: receive_part(uow, "SCR-S23", 1, "admin"))
    assert figures() == (Decimal("3490"), Decimal("4980"))  # it arrived and was reserved
    commit(db, lambda uow: release_part(uow, code, "SCR-S23", None, "admin"))
    assert figures() == (Decimal("3490"), Decimal("3490"))


def test_using_what_is_not_there_is_refused_naming_the_part_and_what_is_available(
    db: Database,
) -> None:
    add(db, stock=1)
    first, second = new_job(db), new_job(db)
    with db.unit_of_work() as uow:
        reserve_part(uow, first, "SCR-S23", 1, "admin")
        uow.commit()
    before = counts(db)
    with pytest.raises(OutOfStock) as refused:
        commit(db, lambda uow: use_part(uow, second, "SCR-S23", 1, "admin"))
    assert "Samsung Galaxy S23 display" in refused.value.message
    assert "SCR-S23" in refused.value.message
    assert "0 available" in refused.value.message
    assert counts(db) == before
    assert stock_of(db) == (1, 1, 0)


def test_cancelling_a_job_releases_its_parts(db: Database) -> None:
    add(db, stock=2)
    code = new_job(db)
    with db.unit_of_work() as uow:
        reserve_part(uow, code, "SCR-S23", 2, "admin")
        uow.commit()
    with db.unit_of_work() as uow:
        change_status(uow, code, JobStatus.CANCELLED, "admin")
        uow.commit()
    assert stock_of(db) == (2, 0, 2)
    with db.reader() as uow:
        assert job_parts(uow, code).lines == ()


def test_a_cancelled_jobs_result_names_the_parts_it_freed(db: Database) -> None:
    add(db, stock=2)
    add(db, PartInput(sku="BAT-S23", name="Samsung Galaxy S23 battery"), stock=1)
    add(db, PartInput(sku="CAM-S23", name="Samsung Galaxy S23 camera"))
    add(db, PartInput(sku="FLX-S23", name="Samsung Galaxy S23 charging flex"), stock=3)
    code, other = new_job(db), new_job(db)
    commit(db, lambda uow: change_status(uow, code, JobStatus.DIAGNOSING, "admin"))
    commit(db, lambda uow: reserve_part(uow, code, "SCR-S23", 2, "admin"))
    commit(db, lambda uow: reserve_part(uow, code, "BAT-S23", 1, "admin"))
    commit(db, lambda uow: wait_for_part(uow, code, "CAM-S23", 1, "admin"))
    commit(db, lambda uow: reserve_part(uow, other, "FLX-S23", 1, "admin"))
    with db.reader() as uow:
        ids = {sku: show_part(uow, sku).id for sku in ("SCR-S23", "BAT-S23", "CAM-S23")}
        job_id = show_job(uow, code, "admin").id

    result = commit(db, lambda uow: change_status(uow, code, JobStatus.CANCELLED, "admin"))

    assert isinstance(result, JobChanged)
    assert result.changes.touches(ChangeKind.PART)
    assert result.changes.touches(ChangeKind.JOB)
    assert set(result.changes.part_ids) == set(ids.values())
    assert result.changes.job_ids == (job_id,)
    assert stock_of(db) == (2, 0, 2)
    assert stock_of(db, "BAT-S23") == (1, 0, 1)
    assert stock_of(db, "FLX-S23") == (3, 1, 2)
    with db.reader() as uow:
        assert job_parts(uow, code).lines == ()


def test_a_cancelled_job_without_parts_names_only_itself(db: Database) -> None:
    add(db, stock=1)
    code = new_job(db)

    result = commit(db, lambda uow: change_status(uow, code, JobStatus.CANCELLED, "admin"))

    assert isinstance(result, JobChanged)
    assert result.changes.kinds == frozenset({ChangeKind.JOB})
    assert result.changes.part_ids == ()


def test_parts_freed_by_a_cancel_stay_reserved_when_the_cancel_is_not_saved(
    db: Database,
) -> None:
    add(db, stock=2)
    code = new_job(db)
    commit(db, lambda uow: reserve_part(uow, code, "SCR-S23", 2, "admin"))
    with db.unit_of_work() as uow:
        change_status(uow, code, JobStatus.CANCELLED, "admin")
        assert [type(event) for event in uow.events] == [JobCancelled, JobStatusChanged]
    assert stock_of(db) == (2, 2, 0)
    with db.reader() as uow:
        assert show_job(uow, code, "admin").status is JobStatus.RECEIVED


def test_release_more_than_reserved_is_refused(db: Database) -> None:
    add(db, stock=2)
    code = new_job(db)
    with db.unit_of_work() as uow:
        reserve_part(uow, code, "SCR-S23", 1, "admin")
        uow.commit()
    with pytest.raises(ValidationError, match="1 × SCR-S23 reserved"), db.unit_of_work() as uow:
        release_part(uow, code, "SCR-S23", 2, "admin")
    with db.unit_of_work() as uow:
        release_part(uow, code, "SCR-S23", None, "admin")
        uow.commit()
    assert stock_of(db) == (2, 0, 2)


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda uow, code: receive_part(uow, "SCR-S23", -1, "admin"), "at least 1"),
        (lambda uow, code: use_part(uow, code, "SCR-S23", 0, "admin"), "at least 1"),
        (lambda uow, code: reserve_part(uow, code, "NOPE-1", 1, "admin"), "no part with SKU"),
        (lambda uow, code: add_part(uow, SCREEN, "admin"), "already in the catalogue"),
        (lambda uow, code: adjust(uow, "SCR-S23", -1, "", "admin"), "Say why"),
        (lambda uow, code: adjust(uow, "SCR-S23", -9, "broken", "admin"), "Not enough"),
        (lambda uow, code: return_to_supplier(uow, "SCR-S23", 9, "", "admin"), "Not enough"),
        (
            lambda uow, code: add_part(uow, PartInput(sku="bad sku!", name="x"), "admin"),
            "is not a SKU",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    db: Database, action: object, message: str
) -> None:
    add(db, stock=2)
    code = new_job(db)
    before = counts(db), stock_of(db)
    with pytest.raises((ValidationError, NotFound, OutOfStock), match=message):
        commit(db, lambda uow: action(uow, code))  # type: ignore[operator]
    assert (counts(db), stock_of(db)) == before
    with db.reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Part)) == 1


def test_a_waiting_job_gets_the_parts_when_the_order_arrives(db: Database) -> None:
    add(db)
    code = new_job(db)
    with db.unit_of_work() as uow:
        change_status(uow, code, JobStatus.DIAGNOSING, "admin")
        wait_for_part(uow, code, "SCR-S23", 1, "admin")
        uow.commit()
    with db.unit_of_work() as uow:
        proposal = propose_orders(uow, "admin")
        uow.commit()
    [order] = proposal.orders
    assert order.supplier == "MobileParts s.r.o."
    assert [(line.sku, line.quantity) for line in order.lines] == [("SCR-S23", 5)]
    with db.unit_of_work() as uow:
        send_order(uow, order.number, "admin")
        uow.commit()
    with db.reader() as uow:
        assert jobs_with_parts_arrived(uow) == []
        assert job_parts(uow, code).waiting_for == ("SCR-S23",)
        assert show_job(uow, code, "admin").status is JobStatus.AWAITING_PARTS
    with db.unit_of_work() as uow:
        receipt = receive_order(uow, order.number, "admin", quantities={"scr-s23": 2})
        uow.commit()
    assert receipt.order.status is OrderStatus.PARTLY_RECEIVED
    assert stock_of(db) == (2, 1, 1)
    with db.reader() as uow:
        [arrived] = jobs_with_parts_arrived(uow)
        assert arrived.code == code
        assert job_parts(uow, code).lines[0].reserved == 1
        ledger = [(m.kind.value, m.order_number, m.job_code) for m in movements(uow, "SCR-S23")]
        assert ledger == [("reserved", None, code), ("received", order.number, None)]
    with db.unit_of_work() as uow:
        receipt = receive_order(uow, order.number, "admin")
        uow.commit()
    assert receipt.order.status is OrderStatus.RECEIVED
    assert stock_of(db) == (5, 1, 4)
    with db.unit_of_work() as uow:
        assert propose_orders(uow, "admin").orders == ()


def test_receiving_more_than_ordered_is_refused(db: Database) -> None:
    add(db)
    with db.unit_of_work() as uow:
        [order] = propose_orders(uow, "admin").orders
        send_order(uow, order.number, "admin")
        uow.commit()
    with pytest.raises(ValidationError, match="only 5 outstanding"), db.unit_of_work() as uow:
        receive_order(uow, order.number, "admin", quantities={"SCR-S23": 6})
    assert stock_of(db) == (0, 0, 0)


def test_stock_take_differences_apply_only_after_review(db: Database) -> None:
    add(db, stock=4)
    add(db, PartInput(sku="BAT-IP13", name="iPhone 13 battery"), stock=2)
    with db.unit_of_work() as uow:
        take = start_stock_take(uow, "admin")
        for label in ["SCR-S23", "scr-s23", "SCR-S23", "BAT-IP13", "BAT-IP13"]:
            scan(uow, take, label, "admin")
        uow.commit()
    assert stock_of(db) == (4, 0, 4)
    with db.reader() as uow:
        differences = review(uow, take).differences
    assert [(d.sku, d.on_hand, d.counted, d.difference) for d in differences] == [
        ("SCR-S23", 4, 3, -1)
    ]
    with db.unit_of_work() as uow:
        apply_stock_take(uow, take, "admin")
        uow.commit()
    assert stock_of(db) == (3, 0, 3)
    with db.reader() as uow:
        assert movements(uow, "SCR-S23")[0].kind.value == "counted"


def test_serialised_boards_are_tracked_unit_by_unit(db: Database) -> None:
    board = PartInput(sku="MB-X1", name="Mainboard X1", serialised=True, price=Decimal("5000"))
    add(db, board)
    code = new_job(db)
    with pytest.raises(ValidationError, match="one serial per unit"), db.unit_of_work() as uow:
        receive_part(uow, "MB-X1", 2, "admin", serials=["SN1"])
    with db.unit_of_work() as uow:
        receive_part(uow, "MB-X1", 2, "admin", serials=["SN1", "SN2"])
        reserve_part(uow, code, "MB-X1", 1, "admin", serials=["SN2"])
        uow.commit()
    with db.unit_of_work() as uow:
        use_part(uow, code, "MB-X1", 1, "admin")
        uow.commit()
    with db.reader() as uow:
        view = show_part(uow, "MB-X1")
        card = job_parts(uow, code)
    assert (view.on_hand, view.reserved, view.serials_in_stock) == (1, 0, ("SN1",))
    assert card.lines[0].serials == ("SN2",)


CSV_GOOD = (
    "sku;name;price;cost;reorder_level;location;supplier;supplier_sku\n"
    "BAT-IP13;iPhone 13 battery;890;420;3;B-01;Součástky CZ;SC-1\n"
    "SCR-S23;Galaxy S23 display;2590;;2;A-03;;\n"
)
CSV_BAD = (
    "sku,name,price,reorder_level\n"
    "BAT-IP13,iPhone 13 battery,890,3\n"
    ",no sku,10,1\n"
    "CAM-1,Camera,-5,1\n"
    "BAT-IP13,again,1,1\n"
    "TOO,many,1,1,1\n"
)


def test_catalogue_import_adds_and_updates(db: Database) -> None:
    add(db, stock=1)
    with db.reader() as uow:
        preview = preview_import(uow, CSV_GOOD)
    assert [(row.sku, row.action) for row in preview.rows] == [
        ("BAT-IP13", "add"),
        ("SCR-S23", "update"),
    ]
    with db.unit_of_work() as uow:
        result = import_catalogue(uow, CSV_GOOD, "admin")
        uow.commit()
    assert (result.added, result.updated, result.skipped) == (1, 1, 0)
    with db.reader() as uow:
        assert show_part(uow, "SCR-S23").price == Decimal("2590")
        assert show_part(uow, "SCR-S23").on_hand == 1
        assert show_part(uow, "BAT-IP13").suppliers[0].supplier == "Součástky CZ"
        assert [p.sku for p in list_parts(uow, "sc-1")] == ["BAT-IP13"]


def test_a_file_with_bad_rows_imports_nothing_unless_good_rows_only(db: Database) -> None:
    with pytest.raises(ImportRefused) as refused:
        commit(db, lambda uow: import_catalogue(uow, CSV_BAD, "admin"))
    report = refused.value.preview.report().splitlines()
    assert report[0].startswith("line 3:")
    assert "not a SKU" in report[0]
    assert report[1].startswith("line 4:")
    assert "negative" in report[1]
    assert report[2] == "line 5: SKU BAT-IP13 is already on line 2 of this file."
    assert report[3] == "line 6: 5 fields where the header has 4."
    assert "4 rows have errors; nothing was imported" in refused.value.message
    with db.reader() as uow:
        assert list_parts(uow) == []
    with db.unit_of_work() as uow:
        result = import_catalogue(uow, CSV_BAD, "admin", good_rows_only=True)
        uow.commit()
    assert (result.added, result.skipped) == (1, 4)
    with db.reader() as uow:
        assert [p.sku for p in list_parts(uow)] == ["BAT-IP13"]


def test_low_stock_filter(db: Database) -> None:
    add(db, stock=2)
    add(db, PartInput(sku="BAT-IP13", name="iPhone 13 battery", reorder_level=1), stock=5)
    with db.reader() as uow:
        assert [p.sku for p in list_parts(uow, low_only=True)] == ["SCR-S23"]
        assert [p.sku for p in list_parts(uow, "galaxy")] == ["SCR-S23"]


def test_demo_parts_arrive_through_the_ledger(db: Database) -> None:
    with db.unit_of_work() as uow:
        added = add_demo_parts(uow)
        uow.commit()
    with db.reader() as uow:
        parts = list_parts(uow)
        low = list_parts(uow, low_only=True)
        for part in parts:
            assert ledger_totals(uow, part.id) == (part.on_hand, part.reserved)
        board = show_part(uow, "MB-LNV-X1")
    assert len(parts) == added
    assert 0 < len(low) < len(parts)
    assert board.serials_in_stock == ("MBX1-24A0071", "MBX1-24A0094")


def test_a_scanned_label_names_a_part_by_sku_unit_serial_or_supplier_number(
    db: Database,
) -> None:
    add(db)
    add(db, PartInput(sku="MB-X1", name="Mainboard X1", serialised=True))
    with db.unit_of_work() as uow:
        receive_part(uow, "MB-X1", 1, "admin", serials=["SN-77"])
        uow.commit()
    with db.reader() as uow:
        assert resolve_scan(uow, " scr-s23 ") == Scanned("SCR-S23")
        assert resolve_scan(uow, "SN-77") == Scanned("MB-X1", "SN-77")
        assert resolve_scan(uow, "mp-s23-lcd") == Scanned("SCR-S23")
        with pytest.raises(NotFound, match="no part with SKU or serial “XYZ”"):
            resolve_scan(uow, "XYZ")


def test_an_update_row_with_empty_cells_keeps_the_stored_values(db: Database) -> None:
    add(db, stock=1)
    update = (
        "sku;name;category;price;cost;reorder_level;reorder_quantity;location;serialised\n"
        "SCR-S23;;;2590;;;;;\n"
        "NEW-1;;;10;;;;;\n"
    )
    with db.reader() as uow:
        preview = preview_import(uow, update)
    assert [(row.line, row.action, row.errors) for row in preview.rows] == [
        (2, "update", ()),
        (3, "error", ("A part needs a name.",)),
    ]
    with db.unit_of_work() as uow:
        import_catalogue(uow, update, "admin", good_rows_only=True)
        import_catalogue(uow, "sku,reorder_level,name\nscr-s23,0,\n", "admin")
        uow.commit()
    with db.reader() as uow:
        part = show_part(uow, "SCR-S23")
        low = [p.sku for p in list_parts(uow, low_only=True)]
    assert (part.name, part.category, part.compatible, part.location) == (
        SCREEN.name,
        SCREEN.category,
        SCREEN.compatible,
        SCREEN.location,
    )
    assert (part.price, part.cost) == (Decimal("2590"), Decimal("1500"))
    assert (part.reorder_level, part.reorder_quantity) == (0, 5)
    assert part.suppliers[0].supplier_sku == "MP-S23-LCD"
    assert low == []


def test_receiving_at_a_new_cost_makes_the_catalogue_cost_a_weighted_average(
    db: Database,
) -> None:
    add(db, PartInput(sku="BAT-IP13", name="iPhone 13 battery"))
    with db.unit_of_work() as uow:
        first = receive_part(uow, "BAT-IP13", 4, "admin", cost=Decimal("300"))
        second = receive_part(uow, "BAT-IP13", 2, "admin", cost=Decimal("360"))
        third = receive_part(uow, "BAT-IP13", 1, "admin", cost=Decimal("320"))
        plain = receive_part(uow, "BAT-IP13", 1, "admin")
        uow.commit()
    assert first.cost_change is not None
    assert second.cost_change is not None
    assert (first.cost_change.before, first.cost_change.after) == (Decimal(0), Decimal("300"))
    assert (second.cost_change.before, second.cost_change.after) == (
        Decimal("300"),
        Decimal("320"),
    )
    assert second.cost_change.describe() == (
        "Catalogue cost changed from €300.00 to €320.00: the average of 4 on hand at "
        "€300.00 and 2 received at €360.00."
    )
    assert third.cost_change is not None
    assert third.cost_change.describe() == "Catalogue cost stays €320.00."
    assert plain.cost_change is None
    with db.reader() as uow:
        assert show_part(uow, "BAT-IP13").cost == Decimal("320")
