"""Group commit: votes arriving together share one COMMIT, each keeps its own fate (SQLite and PostgreSQL).

To make "arriving together" certain rather than likely, a first action holds the group's turn
(`holding`): every vote started meanwhile joins the next batch, which runs once the hold ends.
"""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import OperationalError

from game.play import rooms, turns
from game.play.common import Outcome
from game.play.rooms import RoomSpec
from game.rules.errors import RuleViolation
from game.rules.settings import RoomSettings
from game.store.group_commit import NestedTransaction
from game.store.models import ComfortRecord, TeamRecord, VoteRecord


def new_room(db, teams: int = 1) -> str:
    names = tuple(f"Team {i}" for i in range(1, teams + 1))
    return rooms.create_room(db, None, RoomSpec(deck_slug="talent-en-passie", team_names=names, cards=3, shuffle=False))


def seats(db, code: str, count: int, team: int = 1):
    return [rooms.take_seat(db, code, f"Speler {team}-{i}", "HR", team)[1] for i in range(count)]


class Commits:
    """Counts COMMITs on the engine (and notes them in a shared log)."""

    def __init__(self, db, log: list | None = None):
        self.count, self.log, self.engine = 0, log if log is not None else [], db.engine
        event.listen(self.engine, "commit", self._on_commit)

    def _on_commit(self, _conn) -> None:  # noqa: ANN001
        self.count += 1
        self.log.append("commit")

    def close(self) -> None:
        event.remove(self.engine, "commit", self._on_commit)


class Holding:
    """A member of the group that keeps its turn until released: later arrivals form the next batch."""

    def __init__(self, db):
        self.db, self.started, self.release = db, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.started.wait(10)

    def _hold(self) -> None:
        def hold(session) -> None:  # noqa: ANN001
            session.execute(select(1))
            self.started.set()
            self.release.wait(30)

        self.db.grouped(0, hold)

    def until_joined(self, count: int) -> None:
        for _ in range(1000):
            if self.db.group.joining() == count:
                return
            time.sleep(0.01)
        raise AssertionError(f"{self.db.group.joining()} joined, expected {count}")

    def end(self) -> None:
        self.release.set()
        self.thread.join(10)


def start(calls) -> tuple[list[threading.Thread], list]:
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each member raised
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    return threads, results


def joined(threads) -> None:
    for t in threads:
        t.join(30)
        assert not t.is_alive()


def vote_count(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(VoteRecord))


def test_votes_arriving_together_are_written_with_one_commit(db):
    code = new_room(db)
    players = seats(db, code, 6)
    turns.draw_card(db, players[0], 1)
    commits = Commits(db)
    hold = Holding(db)
    threads, results = start([lambda p=p: turns.cast_vote(db, p, 1, 2) for p in players[:5]])
    hold.until_joined(5)
    hold.end()
    joined(threads)
    commits.close()
    assert all(r.reply["ok"] for r in results), results
    assert commits.count == 2  # the hold's batch and the five votes'
    assert vote_count(db) == 5


def test_a_refused_vote_in_a_batch_does_not_lose_the_others(db):
    code = new_room(db)
    players = seats(db, code, 6)
    turns.draw_card(db, players[0], 1)
    hold = Holding(db)
    calls = [lambda p=p: turns.cast_vote(db, p, 1, 2) for p in players[:4]]
    calls.insert(2, lambda: turns.cast_vote(db, players[4], 2, 2))  # a stale round: refused by the rules
    threads, results = start(calls)
    hold.until_joined(5)
    hold.end()
    joined(threads)
    assert isinstance(results[2], RuleViolation)
    assert [r.reply["ok"] for i, r in enumerate(results) if i != 2] == [True] * 4
    assert vote_count(db) == 4


def test_a_failing_member_loses_only_what_it_wrote(db):
    code = new_room(db, teams=3)
    seats(db, code, 1)
    with db.transaction() as s:
        team_ids = list(s.scalars(select(TeamRecord.id).order_by(TeamRecord.id)))

    def rename(team_id: int, fail: bool) -> None:
        def work(session) -> None:  # noqa: ANN001
            session.execute(update(TeamRecord).where(TeamRecord.id == team_id).values(name=f"renamed {team_id}"))
            if fail:
                raise ValueError("this member fails after writing")

        db.grouped(team_id, work)

    commits = Commits(db)
    hold = Holding(db)
    threads, results = start([lambda t=t: rename(t, fail=t == team_ids[1]) for t in team_ids])
    hold.until_joined(3)
    hold.end()
    joined(threads)
    commits.close()
    assert [type(r) for r in results] == [type(None), ValueError, type(None)]
    assert commits.count == 2
    with db.transaction() as s:
        names = list(s.scalars(select(TeamRecord.name).order_by(TeamRecord.id)))
    assert names == [f"renamed {team_ids[0]}", "Team 2", f"renamed {team_ids[2]}"]


def test_no_member_returns_before_the_commit(db):
    code = new_room(db)
    seats(db, code, 1)
    log: list = []
    commits = Commits(db, log)

    def member(i: int) -> None:
        db.grouped(0, lambda session: session.execute(update(TeamRecord).values(version=TeamRecord.version + 1)))
        log.append(f"exit {i}")  # where a handler would acknowledge and broadcast

    hold = Holding(db)
    threads, _ = start([lambda i=i: member(i) for i in range(4)])
    hold.until_joined(4)
    log.clear()
    hold.end()
    joined(threads)
    commits.close()
    # The hold's commit, the batch's commit, and only then do the four calls return.
    assert log[:2] == ["commit", "commit"] and sorted(log[2:]) == [f"exit {i}" for i in range(4)], log


def test_members_run_in_team_order_whatever_their_arrival(db):
    ran: list[int] = []

    def member(order: int) -> None:
        db.grouped(order, lambda session: ran.append(order))

    hold = Holding(db)
    threads, _ = start([lambda o=o: member(o) for o in (7, 3, 9, 1)])
    hold.until_joined(4)
    hold.end()
    joined(threads)
    assert ran == [1, 3, 7, 9]


def _fail_next_batch(db, error: OperationalError) -> list:
    """The COMMIT after the hold's fails with `error` (as a lost disk or a deadlock would)."""
    failed: list = []
    seen: list = []

    def before_commit(session) -> None:  # noqa: ANN001
        if session.in_nested_transaction():  # a member's savepoint is released: not the COMMIT
            return
        seen.append(session)
        if len(seen) == 2:
            failed.append(error)
            raise error

    event.listen(db.sessions, "before_commit", before_commit)
    return failed


class _Orig(Exception):
    def __init__(self, sqlstate: str | None):
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def test_a_failing_commit_fails_every_member_and_keeps_nothing(db):
    code = new_room(db)
    players = seats(db, code, 6)
    turns.draw_card(db, players[0], 1)
    hold = Holding(db)
    threads, results = start([lambda p=p: turns.cast_vote(db, p, 1, 2) for p in players[:4]])
    hold.until_joined(4)
    failed = _fail_next_batch(db, OperationalError("COMMIT", {}, _Orig(None)))
    hold.end()
    joined(threads)
    assert len(failed) == 1
    assert [getattr(r, "code", r) for r in results] == ["server/unavailable"] * 4
    assert vote_count(db) == 0


def test_members_of_a_batch_that_lost_a_race_run_again(db):
    code = new_room(db)
    players = seats(db, code, 6)
    turns.draw_card(db, players[0], 1)
    hold = Holding(db)
    threads, results = start([lambda p=p: turns.cast_vote(db, p, 1, 2) for p in players[:4]])
    hold.until_joined(4)
    failed = _fail_next_batch(db, OperationalError("COMMIT", {}, _Orig("40P01")))  # deadlock detected
    hold.end()
    joined(threads)
    assert len(failed) == 1
    assert all(r.reply["ok"] for r in results), results
    assert vote_count(db) == 4


def test_a_transaction_inside_a_group_member_is_refused(db):
    def nested(_session) -> None:  # noqa: ANN001
        with db.transaction():
            pass

    with pytest.raises(NestedTransaction):
        db.grouped(0, nested)
    with db.transaction() as s:  # the group is free again
        assert s.scalar(select(1)) == 1


def test_a_team_rating_its_comfort_together_is_written_with_one_commit(db):
    code = rooms.create_room(db, None, RoomSpec(deck_slug="talent-en-passie", team_names=("A",), cards=2, shuffle=False,
                                                settings=RoomSettings(second_vote=False, comfort=True)))
    players = seats(db, code, 4)
    turns.draw_card(db, players[0], 1)
    for p in players:
        turns.cast_vote(db, p, 1, 1)
    turns.start_decision(db, players[0], 1)
    turns.record_decision(db, players[0], 1, 1, "Samen besloten.", None, dt.date(2026, 12, 4))
    commits = Commits(db)
    hold = Holding(db)
    threads, results = start([lambda p=p, s=s: turns.rate_comfort(db, p, 1, s) for p, s in zip(players, (1, 3, 5, 9))])
    hold.until_joined(4)
    hold.end()
    joined(threads)
    commits.close()
    assert [type(r) for r in results] == [Outcome, Outcome, Outcome, RuleViolation]  # 9 is no score
    assert commits.count == 2
    with db.transaction() as s:
        assert sorted(s.scalars(select(ComfortRecord.score))) == [1, 3, 5]
