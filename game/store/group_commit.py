"""Group commit: small actions that arrive together share one transaction, one COMMIT and one fsync.

A use case hands its transaction's work to the group as a function of the session:

    def vote(session: Session) -> Outcome:
        ...  # the use case's body, as inside `with db.transaction() as session:`
    return db.grouped(team_id, vote)

and this module decides who shares a transaction with whom:

- The first action to arrive leads a batch. It yields once (`window` seconds, 0 = just let whoever
  is ready run) and then waits until the previous batch of this process has committed; every action
  arriving meanwhile joins its batch, up to `max_size`. A busy process therefore batches more and an
  idle one commits at once: the wait for the previous COMMIT is the window (classic group commit).
- The leader then runs every member's function on ONE session, one after another, in `order` (team
  id), each in its own SAVEPOINT: a member's error or RuleViolation rolls back its own part only, and
  that member gets it at once. The functions run in the leader's greenlet or thread, without a switch
  between them: the transaction is open only for the database work itself (a first version handed the
  session from greenlet to greenlet, and every hand-over let the whole event loop run while the
  batch held the write lock: docs/benchmarks.md, "Group commit"). So a function must not rely on
  anything greenlet- or thread-local (Flask's request, threading.local): use cases take what they
  need as arguments.
- After the last member the leader commits once, and only then does any member's call return: its
  reply and broadcast come after the commit ("nothing is acknowledged before it is durable"). A failed
  COMMIT raises the same error in every member that had succeeded (`retried` in game/play/common.py
  runs them again, in a later batch).

Locks. On PostgreSQL a batch holds the row locks of all its members until the COMMIT. Members lock
in `order` (team id), as every use case that locks several teams does (lock_room_teams): two batches
in two processes, or a batch and a room-wide use case, take shared rows in the same order and cannot
wait for each other in a cycle. (A cycle that remains anyway is a deadlock PostgreSQL breaks; the
aborted side is retried as a lost race.) A batch never waits for anything that waits for it: the
members wait for the leader, the leader only for the previous batch, which waits for nobody. On
SQLite the batch does not yield while its transaction is open (the functions run back to back and
SQLite never yields), as any transaction there: SQLite's busy wait blocks the whole OS thread, all
greenlets of a gevent or eventlet process, so a transaction that yielded while holding the write
lock could freeze the process until the busy timeout.

Plain `threading` primitives and `time.sleep`: gevent and eventlet monkey-patch them into their
cooperative versions (game/launch.py), and the test client and CLI use real threads.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

T = TypeVar("T")


def plain_savepoints(engine: Engine) -> None:
    """SAVEPOINT, RELEASE and ROLLBACK TO as plain SQL strings. SQLAlchemy builds each as a statement
    object that its cache refuses (a new name each time), so every savepoint was compiled afresh:
    two compilations per grouped vote, a third of its CPU (docs/benchmarks.md, "Group commit").
    The names are SQLAlchemy's own (sa_savepoint_N): no quoting needed."""
    dialect = engine.dialect
    dialect.do_savepoint = lambda connection, name: connection.exec_driver_sql(f"SAVEPOINT {name}")
    dialect.do_release_savepoint = lambda connection, name: connection.exec_driver_sql(f"RELEASE SAVEPOINT {name}")
    dialect.do_rollback_to_savepoint = lambda connection, name: connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name}")


class NestedTransaction(RuntimeError):
    """A transaction opened inside a group member's work: it would wait for the batch it is part of."""


class _Member:
    """One action in a batch: its function, its place in the lock order, and what came of it."""

    __slots__ = ("order", "work", "result", "error", "done")

    def __init__(self, order: int, work: Callable[[Session], Any]):
        self.order, self.work = order, work
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class GroupCommit:
    """Batches transactions of one Database within this process (see the module docstring)."""

    def __init__(self, sessions: Callable[[], Session], window: float = 0.0, max_size: int = 64):
        self._sessions = sessions
        self.window, self.max_size = window, max_size
        self._lock = threading.Lock()            # the open batch and the queue of batches
        self._open: list[_Member] | None = None  # the batch that arrivals join
        self._busy = False                       # a batch is in the database (one at a time, per process)
        self._waiting: deque[threading.Event] = deque()  # leaders of the batches waiting for their turn
        self._local = threading.local()          # greenlet-local under gevent and eventlet

    def joining(self) -> int:
        """How many actions have joined the batch that is still open (for tests and diagnostics)."""
        with self._lock:
            return len(self._open) if self._open else 0

    def refuse_nesting(self) -> None:
        """Raise if the caller runs inside a group member (a transaction there would wait for its own batch)."""
        if getattr(self._local, "inside", False):
            raise NestedTransaction("a transaction cannot be opened inside a group transaction")

    def run(self, order: int, work: Callable[[Session], T]) -> T:
        """`work(session)` inside a savepoint of a shared transaction; returns after the shared COMMIT."""
        self.refuse_nesting()
        member = _Member(order, work)
        with self._lock:
            batch = self._open
            leads = batch is None
            if leads:
                batch = self._open = []
            batch.append(member)
            if len(batch) >= self.max_size:
                self._open = None  # full: the next arrival leads a new batch
        if leads:
            self._lead(batch)
        member.done.wait()
        if member.error is not None:
            raise member.error
        return member.result

    def _lead(self, batch: list[_Member]) -> None:
        """Let others join, wait for the batches before this one, then run and commit this one."""
        time.sleep(self.window)  # under gevent/eventlet: greenlets that are ready run and may join
        turn = self._queue_up()  # the previous batches commit first; arrivals meanwhile join this one
        try:
            if turn is not None:
                turn.wait()
            with self._lock:
                if self._open is batch:
                    self._open = None
            batch.sort(key=lambda m: m.order)  # the lock order (stable: arrival order within a team)
            self._run_batch(batch)
        except BaseException as exc:  # the leader itself was interrupted: nobody may wait forever
            for member in batch:
                if not member.done.is_set():
                    member.error = member.error or exc
                    member.done.set()
            raise
        finally:
            self._hand_on(turn)

    def _queue_up(self) -> threading.Event | None:
        """None: this batch may run now. Otherwise the event that says its turn has come. Batches run
        in the order their leaders queued: the running one hands the turn on directly, so a newcomer
        never overtakes a batch that has waited (a semaphore let batches barge in: some waited seconds)."""
        with self._lock:
            if not self._busy:
                self._busy = True
                return None
            turn = threading.Event()
            self._waiting.append(turn)
            return turn

    def _hand_on(self, turn: threading.Event | None) -> None:
        with self._lock:
            if turn is not None and not turn.is_set():  # interrupted while queued: it never ran
                self._waiting.remove(turn)
                return
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._busy = False

    def _run_batch(self, batch: list[_Member]) -> None:
        try:
            session = self._sessions()
            session.begin()
        except Exception as exc:  # no session: nobody ran (a connection that fails later fails each member)
            for member in batch:
                member.error = exc
                member.done.set()
            return
        alone = len(batch) == 1  # alone, the transaction is the member's own: no savepoint needed
        succeeded: list[_Member] = []
        with session:
            self._local.inside = True
            try:
                for member in batch:
                    try:
                        if alone:
                            member.result = member.work(session)
                            session.flush()
                        else:
                            with session.begin_nested():
                                member.result = member.work(session)
                    except Exception as exc:  # its own failure, at once: it has nothing to acknowledge
                        member.error = exc
                        member.done.set()
                    else:
                        succeeded.append(member)
                    # The next member starts with an empty identity map, as in a session of its own:
                    # nothing it reads comes from another member's objects.
                    session.expunge_all()
            finally:
                self._local.inside = False
            if not succeeded:
                session.rollback()
                return
            try:
                session.commit()
            except Exception as exc:  # every member that had succeeded fails with the COMMIT
                session.rollback()
                for member in succeeded:
                    member.error = exc
            for member in succeeded:
                member.done.set()
