"""A seating burst on PostgreSQL: seatings lock the room's teams in one order, so they never deadlock;
a deadlock or serialization failure is a lost race (retried, then `server/busy`), not a database down.
(docs/benchmarks.md, "Seating burst on PostgreSQL".)"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from game.play import rooms
from game.play.common import retried
from game.play.library import sync_bundled_decks
from game.play.rooms import RoomSpec
from game.rules.errors import RuleViolation
from game.store.db import Database
from tests.conftest import ROOT


def _until(condition, what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.02)


@pytest.mark.postgres
def test_two_seatings_that_see_the_teams_in_different_physical_orders_do_not_deadlock(postgres_url):
    """The benchmark's 1,000-player seating burst, made deterministic with two seatings.

    Every action updates its team's row, so the rows' physical order drifts from their id order. Without
    an ORDER BY, `SELECT … FOR UPDATE` locks them in physical order: a seating that started before a
    team moved and one that started after lock the same teams in opposite orders and deadlock. Here:
    teams A, X, B; the first seating holds A and waits for X (held by another transaction); B is
    updated into the slot a deleted team left before A; the second seating starts. In physical order it
    would take B and wait for A, and the first, once X is free, would wait for B: a deadlock, which was
    answered `server/unavailable`."""
    import psycopg

    db = Database(postgres_url)
    sync_bundled_decks(db, ROOT / "decks")  # the previous test's clean-up emptied every table
    raw_url = postgres_url.replace("+psycopg", "")
    admin = psycopg.connect(raw_url, autocommit=True)
    holder = psycopg.connect(raw_url)  # holds team X while the first seating waits for it
    results: dict[str, object] = {}
    threads: list[threading.Thread] = []
    try:
        code = rooms.create_room(db, None, RoomSpec(deck_slug="talent-en-passie", team_names=("D", "A", "X", "B"),
                                                    cards=2, shuffle=False))
        ids = dict(admin.execute("SELECT t.name, t.id FROM teams t JOIN rooms r ON r.id = t.room_id WHERE r.code = %s",
                                 (code,)).fetchall())
        room_id = admin.execute("SELECT id FROM rooms WHERE code = %s", (code,)).fetchone()[0]
        # Free the first slot of the page: an update of B can land there, before A.
        admin.execute("DELETE FROM teams WHERE id = %s", (ids["D"],))
        admin.execute("VACUUM teams")

        def physical_order() -> list[str]:
            names = {v: k for k, v in ids.items()}
            return [names[r[0]] for r in admin.execute("SELECT id FROM teams WHERE room_id = %s ORDER BY ctid", (room_id,))]

        def waiting_seatings() -> int:
            return admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                " AND query LIKE '%%FROM teams%%FOR UPDATE%%'").fetchone()[0]

        def seat(label: str, team: int) -> None:
            try:
                results[label] = rooms.take_seat(db, code, label, "HR", team)
            except RuleViolation as exc:
                results[label] = exc

        assert physical_order() == ["A", "X", "B"]
        holder.execute("SELECT id FROM teams WHERE id = %s FOR UPDATE", (ids["X"],))
        threads.append(threading.Thread(target=seat, args=("first", 2)))
        threads[-1].start()
        _until(lambda: waiting_seatings() == 1, "the first seating waits for team X")

        admin.execute("UPDATE teams SET name = name WHERE id = %s", (ids["B"],))
        assert physical_order() == ["B", "A", "X"], "setup: B's new version should sit in the freed slot, before A"
        threads.append(threading.Thread(target=seat, args=("second", 4)))
        threads[-1].start()
        _until(lambda: waiting_seatings() == 2, "the second seating waits too")

        # The second seating must wait for A (the first team in id order), not hold B meanwhile.
        try:
            admin.execute("SELECT id FROM teams WHERE id = %s FOR UPDATE NOWAIT", (ids["B"],))
        except psycopg.errors.LockNotAvailable:
            pytest.fail("the second seating locked team B before team A: the teams are not locked in id order")
        holder.rollback()
        for t in threads:
            t.join(20)
        assert not any(t.is_alive() for t in threads)
        for label in ("first", "second"):
            assert not isinstance(results[label], RuleViolation), (label, results[label])
        assert admin.execute("SELECT count(*) FROM players WHERE room_id = %s", (room_id,)).fetchone()[0] == 2
    finally:
        holder.close()
        for t in threads:
            t.join(20)
        admin.close()
        db.dispose()


class _FakePgError(Exception):
    def __init__(self, sqlstate: str | None):
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _flaky(failures: list[BaseException]):
    calls = []

    @retried
    def use_case() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "done"

    return use_case, calls


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])  # deadlock_detected, serialization_failure
def test_a_deadlock_or_serialization_failure_is_retried_as_a_lost_race(sqlstate):
    use_case, calls = _flaky([OperationalError("SELECT", {}, _FakePgError(sqlstate))])
    assert use_case() == "done" and len(calls) == 2


def test_a_race_lost_every_time_is_busy_not_unavailable():
    use_case, _ = _flaky([OperationalError("SELECT", {}, _FakePgError("40P01")) for _ in range(10)])
    with pytest.raises(RuleViolation) as exc:
        use_case()
    assert exc.value.code == "server/busy"


def test_a_database_that_went_away_is_still_unavailable_and_not_retried():
    use_case, calls = _flaky([OperationalError("SELECT", {}, _FakePgError("08006"))])  # connection_failure
    with pytest.raises(RuleViolation) as exc:
        use_case()
    assert exc.value.code == "server/unavailable" and len(calls) == 1


def test_no_free_pooled_connection_is_busy():
    use_case, calls = _flaky([PoolTimeout("QueuePool limit of size 5 overflow 10 reached")])
    with pytest.raises(RuleViolation) as exc:
        use_case()
    assert exc.value.code == "server/busy" and len(calls) == 1


@pytest.mark.parametrize("error, code", [
    (OperationalError("SELECT", {}, _FakePgError("40P01")), "server/busy"),
    (PoolTimeout("QueuePool limit of size 5 overflow 10 reached"), "server/busy"),
    (OperationalError("SELECT", {}, _FakePgError("08006")), "server/unavailable"),
])
def test_a_handler_without_retries_answers_a_lost_race_or_a_full_pool_as_busy(error, code, sqlite_url, monkeypatch):
    from game.extensions import socketio
    from tests.conftest import make_app

    app = make_app(sqlite_url)
    db = app.extensions["inzetspel.db"]
    try:
        room = rooms.create_room(db, None, RoomSpec(deck_slug="talent-en-passie", team_names=("A",), cards=2))
        client = socketio.test_client(app)
        assert client.emit("take_seat", {"code": room, "name": "Anna", "role": "HR"}, callback=True)["ok"]

        def fails(*_args, **_kwargs):
            raise error

        monkeypatch.setattr(rooms, "seat_state", fails)  # get_state calls it without @retried
        reply = client.emit("get_state", {}, callback=True)
        assert reply["ok"] is False and reply["error"]["code"] == code, reply
        client.disconnect()
    finally:
        db.dispose()
