"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL where marked), the app, clients."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
KEPT = "kept_for_tests"  # the PostgreSQL schema that keeps the migrated bundled decks (postgres_url)
# Database URLs whose decks table holds the bundled decks as synced from decks/ this run (make_app).
_HOLDS_BUNDLED_DECKS: set[str] = set()
_EMPTY_FOLDER: Path | None = None


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def _postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}"


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    reason = _postgres_available()
    if reason:
        if services_required():
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
        pytest.skip(reason)
    return POSTGRES_ADMIN_URL


def _migrated(url: str) -> None:
    """Apply the migrations and load the bundled decks, as the app does at start-up."""
    from game.play.library import sync_bundled_decks
    from game.store.db import Database

    db = Database(url)
    db.upgrade()
    sync_bundled_decks(db, ROOT / "decks")
    db.dispose()


@pytest.fixture(scope="session")
def postgres_database(postgres_admin: str):
    """One migrated PostgreSQL database for the test run, dropped at the end."""
    import psycopg

    name = f"inzetspel_test_{uuid.uuid4().hex[:12]}"
    admin = postgres_admin.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = postgres_admin.rsplit("/", 1)[0] + f"/{name}"
    _migrated(url)
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        # The bundled decks as migrated, kept outside the public schema: each test's clean-up puts them back.
        conn.execute(f"CREATE SCHEMA {KEPT}")
        conn.execute(f"CREATE TABLE {KEPT}.decks AS SELECT * FROM public.decks")
    _HOLDS_BUNDLED_DECKS.add(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_database: str):
    """A clean PostgreSQL database for one test: the run's database, emptied afterwards but for the
    bundled decks, which are put back as migrated. (Creating a database per test costs ~1.5 s here;
    emptying the tables costs milliseconds.)"""
    yield postgres_database
    import psycopg

    with psycopg.connect(postgres_database.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("SET lock_timeout = '10s'")
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        conn.execute(f"INSERT INTO public.decks SELECT * FROM {KEPT}.decks")
        conn.execute("SELECT setval(pg_get_serial_sequence('public.decks', 'id'), (SELECT max(id) FROM public.decks))")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrated(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path: Path) -> str:
    """Persistence tests run twice: on SQLite and on the local PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh SQLite database for one test (a copy of the migrated template)."""
    return copy_of_template(sqlite_template, tmp_path / "game.db")


def copy_of_template(template: Path, path: Path) -> str:
    """A copy of the session's migrated SQLite template at `path`; its URL."""
    import shutil

    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    _HOLDS_BUNDLED_DECKS.add(url)
    return url


def make_app(url: str, **extra):  # noqa: ANN003, ANN201
    """The app as the tests use it. On a database that already holds the bundled decks as they are in
    decks/ (a copy of the template, the run's PostgreSQL database), the app's start-up sync is given an
    empty folder: reading the twelve deck files again costs ~0.35 s of YAML per app, for no change, in
    some 600 tests. The sync itself is tested where it is the point (tests/test_decks.py,
    tests/decks/test_library.py) and runs in every `inzetspel serve` the tests start."""
    from game.app import create_app

    decks = _no_decks() if url in _HOLDS_BUNDLED_DECKS else ROOT / "decks"
    return create_app({
        "DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test-secret", "ASYNC_MODE": "threading",
        "DECKS_DIR": decks, "LOG_LEVEL": "WARNING", **extra,
    })


def _no_decks() -> Path:
    global _EMPTY_FOLDER
    if _EMPTY_FOLDER is None:
        import tempfile

        _EMPTY_FOLDER = Path(tempfile.mkdtemp(prefix="inzetspel-no-decks-"))
    return _EMPTY_FOLDER


@pytest.fixture
def app(database_url: str):
    application = make_app(database_url)
    yield application
    application.extensions["inzetspel.db"].dispose()


@pytest.fixture
def db(app):
    return app.extensions["inzetspel.db"]


def sign_in(app, session, facilitator_id: int) -> None:  # noqa: ANN001
    """Put a facilitator's login in a test client's session, as /login does: the account's id and its
    current session version (a new account starts at a random one; docs/security.md, "Sessions")."""
    from game.extensions import get_db
    from game.play.accounts import session_version

    with app.app_context():
        session["sv"] = session_version(get_db(), facilitator_id)
    session["facilitator_id"] = facilitator_id
