"""Engine, sessions and transactions: one `transaction()` per use case, for SQLite and PostgreSQL."""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from game.store.group_commit import GroupCommit, plain_savepoints

MIGRATIONS = Path(__file__).parent / "migrations"


SYNCHRONOUS = ("NORMAL", "FULL")  # what each promises: docs/durability.md


def _tune_sqlite(engine: Engine, synchronous: str) -> None:
    """WAL and foreign keys; BEGIN IMMEDIATE so that writers queue instead of failing mid-way."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The game's database: an engine plus a session factory."""

    def __init__(self, url: str, echo: bool = False, group_window: float = 0.0, group_max: int = 64,
                 sqlite_synchronous: str = "FULL"):
        if sqlite_synchronous.upper() not in SYNCHRONOUS:
            raise ValueError(f"SQLite synchronous must be one of {SYNCHRONOUS}, not {sqlite_synchronous!r}")
        self.url = url
        kwargs: dict = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self.engine, sqlite_synchronous.upper())
        plain_savepoints(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite: one writer per database, and its busy wait would block every greenlet of the process
        # while a group batch (which yields between its members) holds the write lock: transactions of
        # this process queue here instead, cooperatively (game/store/group_commit.py).
        self._writer = threading.Semaphore(1) if self.engine.dialect.name == "sqlite" else None
        self.group = GroupCommit(self.sessions, self._writer, window=group_window, max_size=group_max)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        self.group.refuse_nesting()
        with self._writer or contextlib.nullcontext(), self.sessions() as session, session.begin():
            yield session

    def group_transaction(self, order: int = 0) -> contextlib.AbstractContextManager[Session]:
        """Like transaction(), shared with the actions arriving at the same time: one COMMIT for all,
        each action in its own savepoint; the block exits after the shared COMMIT. `order` is the
        lock order (the team id). See game/store/group_commit.py."""
        return self.group.transaction(order)

    def upgrade(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Several processes starting at once: one migrates, the others wait and find it done.
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7246511)")
            command.upgrade(alembic_config(connection), "head")

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(connection=None, url: str | None = None) -> Config:  # noqa: ANN001
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["connection"] = connection
    return cfg
