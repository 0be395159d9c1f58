"""Engine, sessions and transactions: one `transaction()` per use case, for SQLite and PostgreSQL."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def _tune_sqlite(engine: Engine) -> None:
    """WAL and foreign keys; BEGIN IMMEDIATE so that writers queue instead of failing mid-way."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The game's database: an engine plus a session factory."""

    def __init__(self, url: str, echo: bool = False):
        self.url = url
        kwargs: dict = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

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
