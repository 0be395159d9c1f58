"""Group commit: small actions that arrive together share one transaction, one COMMIT and one fsync.

Each action keeps the shape of `Database.transaction()`:

    with db.group_transaction(order=team_id) as session:
        ...  # the use case, as before

and this module decides who shares a transaction with whom:

- The first action to arrive leads a batch. It yields once (`window` seconds, 0 = just let whoever
  is ready run) and then waits until the previous batch of this process has committed; every action
  arriving meanwhile joins its batch, up to `max_size`. A busy process therefore batches more and an
  idle one commits at once: the wait for the previous COMMIT is the window (classic group commit).
- The members then take turns on ONE session, in `order` (team id): each runs its `with` body in
  its own SAVEPOINT, so its error or RuleViolation rolls back its own part only and is raised at
  once in its own greenlet or thread. Turns are strictly serial: a Session is never used by two
  greenlets at a time.
- After the last turn the batch commits once, and only then does every member's `with` block exit:
  its reply and broadcast come after the commit ("nothing is acknowledged before it is durable").
  A failed COMMIT raises the same error in every member (`retried` in game/play/common.py runs them
  again, in a later batch).

Locks. On PostgreSQL a batch holds the row locks of all its members until the COMMIT. Members lock
in `order` (team id), as every use case that locks several teams does (lock_room_teams): two batches
in two processes, or a batch and a room-wide use case, take shared rows in the same order and cannot
wait for each other in a cycle. (A cycle that remains anyway is a deadlock PostgreSQL breaks; the
aborted side is retried as a lost race.) A batch never waits for anything that waits for it: members
wait only for their turn (given by the batch itself) and the leader only for the previous batch,
which waits for nobody. SQLite has one writer per database, and its busy wait blocks the whole OS
thread (all greenlets of a gevent or eventlet process): a transaction begun beside an open batch
would freeze the process until the busy timeout. So on SQLite every transaction of the process,
grouped or not, first takes `writer` (Database), a cooperative semaphore, and waits there instead.

Plain `threading` primitives and `time.sleep`: gevent and eventlet monkey-patch them into their
cooperative versions (game/launch.py), and the test client and CLI use real threads.
"""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from sqlalchemy import Engine
from sqlalchemy.orm import Session


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
    """A transaction opened inside a group member's turn: it would wait for the batch it is part of."""


class _Member:
    """One action in a batch: its place in the lock order and the signal that its turn has come."""

    __slots__ = ("order", "turn", "abandoned")

    def __init__(self, order: int):
        self.order = order
        self.turn = threading.Event()
        self.abandoned = False  # interrupted (e.g. a timeout) before its turn: the turn passes it by


class _Batch:
    """Actions sharing one transaction: open for joiners until its leader starts it."""

    def __init__(self) -> None:
        self.members: list[_Member] = []
        self.session: Session | None = None
        self.next = 0             # index of the member whose turn comes next
        self.doomed = False       # the only member failed without a savepoint: roll back, not commit
        self.error: BaseException | None = None  # the COMMIT's (or the BEGIN's) failure: every member raises it
        self.done = threading.Event()


class GroupCommit:
    """Batches transactions of one Database within this process (see the module docstring)."""

    def __init__(self, sessions: Callable[[], Session], writer: threading.Semaphore | None = None,
                 window: float = 0.0, max_size: int = 64):
        self._sessions, self._writer = sessions, writer
        self.window, self.max_size = window, max_size
        self._lock = threading.Lock()            # the open batch and the passing of turns
        self._running = threading.Semaphore(1)   # one batch in the database at a time, per process
        self._open: _Batch | None = None         # the batch that arrivals join
        self._local = threading.local()          # greenlet-local under gevent and eventlet

    def joining(self) -> int:
        """How many actions have joined the batch that is still open (for tests and diagnostics)."""
        with self._lock:
            return len(self._open.members) if self._open else 0

    def refuse_nesting(self) -> None:
        """Raise if the caller is inside a group member's turn (a transaction there would deadlock)."""
        if getattr(self._local, "inside", False):
            raise NestedTransaction("a transaction cannot be opened inside a group transaction")

    @contextlib.contextmanager
    def transaction(self, order: int = 0) -> Iterator[Session]:
        """A session inside a savepoint of a shared transaction; exits after the shared COMMIT."""
        self.refuse_nesting()
        member = _Member(order)
        with self._lock:
            batch = self._open
            leads = batch is None
            if leads:
                batch = self._open = _Batch()
            batch.members.append(member)
            if len(batch.members) >= self.max_size:
                self._open = None  # full: the next arrival leads a new batch
        if leads:
            self._lead(batch)
        self._wait_for_turn(batch, member)
        if batch.error is not None:  # the batch could not begin: nobody ran
            raise batch.error
        session = batch.session
        alone = len(batch.members) == 1  # alone, the transaction is the member's own: no savepoint needed
        self._local.inside = True
        try:
            if alone:
                yield session
                session.flush()
            else:
                with session.begin_nested():
                    yield session
        except BaseException:
            batch.doomed = batch.doomed or alone
            self._end_turn(batch, session)
            raise  # the member's own failure, at once: it has nothing to acknowledge
        self._end_turn(batch, session)
        batch.done.wait()
        if batch.error is not None:
            raise batch.error

    def _lead(self, batch: _Batch) -> None:
        """Let others join, wait for the previous batch, close this one and begin its transaction."""
        held: list[threading.Semaphore] = []
        try:
            time.sleep(self.window)  # under gevent/eventlet: greenlets that are ready run and may join
            self._running.acquire()  # the previous batch commits first; arrivals meanwhile join this one
            held.append(self._running)
            with self._lock:
                if self._open is batch:
                    self._open = None
                batch.members.sort(key=lambda m: m.order)  # the lock order (stable: arrival order within a team)
            if self._writer is not None:
                self._writer.acquire()
                held.append(self._writer)
            batch.session = self._sessions()
            batch.session.begin()
        except BaseException as exc:  # nobody can run: every member raises this (the leader included)
            with self._lock:
                if self._open is batch:
                    self._open = None
                batch.error = exc
                batch.next = len(batch.members)
            if batch.session is not None:
                batch.session.close()
            for semaphore in reversed(held):
                semaphore.release()
            for member in batch.members:
                member.turn.set()
            batch.done.set()
            return
        self._pass_turn(batch)

    def _wait_for_turn(self, batch: _Batch, member: _Member) -> None:
        try:
            member.turn.wait()
        except BaseException:  # interrupted while waiting: the turn must still go round
            with self._lock:
                has_turn = member.turn.is_set() and batch.error is None
                member.abandoned = True
            if has_turn:
                self._pass_turn(batch)
            raise

    def _end_turn(self, batch: _Batch, session: Session) -> None:
        self._local.inside = False
        # The next member starts with an empty identity map, as in a session of its own: nothing it
        # reads comes from another member's objects (their changes are flushed, or rolled back).
        session.expunge_all()
        self._pass_turn(batch)

    def _pass_turn(self, batch: _Batch) -> None:
        """Give the session to the next member still waiting; after the last one, commit."""
        with self._lock:
            while batch.next < len(batch.members):
                member = batch.members[batch.next]
                batch.next += 1
                if not member.abandoned:
                    member.turn.set()
                    return
        self._commit(batch)

    def _commit(self, batch: _Batch) -> None:
        session = batch.session
        try:
            if batch.doomed:
                session.rollback()
            else:
                session.commit()
        except BaseException as exc:
            batch.error = exc
            with contextlib.suppress(Exception):
                session.rollback()
        finally:
            session.close()
            if self._writer is not None:
                self._writer.release()
            self._running.release()
            batch.done.set()
