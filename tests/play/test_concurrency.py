"""Simultaneous taps: the database, not luck, makes them count once (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from game.play import rooms, turns
from game.play.rooms import RoomSpec
from game.rules.errors import RuleViolation
from game.store.models import RoundRecord, TeamRecord, VoteRecord


def seats(db, count: int, code: str):
    return [rooms.take_seat(db, code, f"Speler {i}", "HR", 1)[1] for i in range(count)]


def at_once(calls):
    """Run the calls in threads released together; return their results or RuleViolations."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except RuleViolation as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def new_room(db) -> str:
    return rooms.create_room(db, None, RoomSpec(deck_slug="talent-en-passie", team_names=("A",), cards=3, shuffle=False))


def test_two_draws_at_the_same_moment_draw_one_card(db):
    code = new_room(db)
    first, *_ = seats(db, 3, code)
    results = at_once([lambda: turns.draw_card(db, first, 1) for _ in range(6)])
    assert sum(not isinstance(r, RuleViolation) for r in results) == 1
    assert {r.code for r in results if isinstance(r, RuleViolation)} <= {"draw/wrong_phase", "draw/stale_round"}
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(RoundRecord)) == 1


def test_everyone_voting_at_once_reveals_exactly_once(db):
    code = new_room(db)
    players = seats(db, 6, code)
    turns.draw_card(db, players[0], 1)
    results = at_once([lambda p=p: turns.cast_vote(db, p, 1, 2) for p in players])
    assert all(not isinstance(r, RuleViolation) for r in results), results
    assert sum(r.reply["revealed"] for r in results) == 1
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(VoteRecord)) == 6
        assert s.scalar(select(TeamRecord.phase)) == "discuss"


def test_a_double_tap_from_two_threads_stores_one_vote(db):
    code = new_room(db)
    players = seats(db, 3, code)
    turns.draw_card(db, players[0], 1)
    results = at_once([lambda: turns.cast_vote(db, players[1], 1, 1) for _ in range(5)])
    assert all(not isinstance(r, RuleViolation) for r in results), results
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(VoteRecord)) == 1
