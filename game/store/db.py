"""Engine, sessions and transactions: one `transaction()` per use case, for SQLite and PostgreSQL."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from game.store.group_commit import GroupCommit, plain_savepoints

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")


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
        self.group = GroupCommit(self.sessions, window=group_window, max_size=group_max)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        self.group.refuse_nesting()
        with self.sessions() as session, session.begin():
            yield session

    def grouped(self, order: int, work: Callable[[Session], T]) -> T:
        """Like `with transaction() as session: return work(session)`, shared with the actions that
        arrive at the same time: one COMMIT for all, each action in its own savepoint; returns after
        the shared COMMIT. `order` is the lock order (the team id). See game/store/group_commit.py."""
        return self.group.run(order, work)

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
