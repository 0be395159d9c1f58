"""Security battery fixtures: two rooms of two facilitators, players in both, connections of every kind."""
from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import select

from game.extensions import socketio
from game.play.accounts import create_facilitator
from game.play.rooms import RoomSpec, create_room
from game.store.models import Base, RoomRecord, TeamRecord
from tests.conftest import copy_of_template, make_app
# Real server processes (test_server.py, test_sigkill.py, test_flood.py, test_venue_joins.py): tests/server's
# fixtures; each test here passes its own env (SQLite, or PostgreSQL where it says so).
from tests.server.conftest import sqlite_server_env, start_server  # noqa: F401  (re-exported fixtures)
from tests.conftest import sign_in

DECK = "mobiliteit-bespreekbaar"
# `make test` runs the battery with modest numbers; `make soak` (HYPOTHESIS_PROFILE=soak) with thousands.
settings.register_profile("ci", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")), deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                 HealthCheck.data_too_large], derandomize=True, print_blob=True)
settings.register_profile("soak", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "3000")), deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                 HealthCheck.data_too_large], print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass
class Conn:
    """One Socket.IO connection (any kind: stranger, player, facilitator)."""

    client: object
    label: str
    player_id: int | None = None
    team_id: int | None = None
    token: str | None = None

    def call(self, event: str, *args: object) -> object:
        return self.client.emit(event, *args, callback=True)

    def received(self, name: str) -> list:
        return [m["args"][0] for m in self.client.get_received() if m["name"] == name]


@dataclass
class World:
    """Room A (facilitator A) and room B (facilitator B), each with seated players."""

    app: object
    db: object
    fac_a: int
    fac_b: int
    code_a: str
    code_b: str
    team_ids_a: list[int]
    team_ids_b: list[int]


def fingerprint(db) -> dict:
    """Everything a refused message must leave alone: every row of every table."""
    import hashlib

    with db.transaction() as s:
        result = {}
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
            result[table.name] = (len(rows), hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest())
        return result


def security_app(url: str, **extra):  # noqa: ANN003, ANN201
    """An app with the production limits switched on (test apps have event limiting off by default)."""
    return make_app(url, **{"EVENT_RATE_LIMIT": True, **extra})


def build_world(url: str, **extra) -> World:  # noqa: ANN003
    """Two facilitators, each with a room: A (two teams) and B (one team)."""
    app = security_app(url, **extra)
    db = app.extensions["inzetspel.db"]
    fac_a = create_facilitator(db, "begeleider-a", "een-lang-wachtwoord-a")
    fac_b = create_facilitator(db, "begeleider-b", "een-lang-wachtwoord-b")
    code_a = create_room(db, fac_a, RoomSpec(deck_slug=DECK, team_names=("Team A1", "Team A2"), cards=2, shuffle=False))
    code_b = create_room(db, fac_b, RoomSpec(deck_slug=DECK, team_names=("Team B1",), cards=2, shuffle=False))
    with db.transaction() as s:
        ids = {c: list(s.scalars(select(TeamRecord.id).join(RoomRecord).where(RoomRecord.code == c).order_by(TeamRecord.position)))
               for c in (code_a, code_b)}
    return World(app, db, fac_a, fac_b, code_a, code_b, ids[code_a], ids[code_b])


def copied_database(template, path) -> str:  # noqa: ANN001
    """A copy of the session's migrated SQLite template (migrating afresh costs seconds per test)."""
    return copy_of_template(template, path)


@pytest.fixture
def world_factory(tmp_path, sqlite_template):
    apps = []

    def _make(**extra) -> World:  # noqa: ANN003
        made = build_world(copied_database(sqlite_template, tmp_path / f"sec{len(apps)}.db"), **extra)
        apps.append(made.app)
        return made

    yield _make
    for app in apps:
        app.extensions["inzetspel.db"].dispose()


@pytest.fixture
def world(world_factory) -> World:
    return world_factory()


def open_connection(world: World, facilitator_id: int | None = None, token: str | None = None, label: str = "") -> Conn:
    """A Socket.IO test connection; with `facilitator_id`, signed in as that facilitator."""
    http = world.app.test_client()
    if facilitator_id is not None:
        with http.session_transaction() as session:
            sign_in(world.app, session, facilitator_id)
    return Conn(socketio.test_client(world.app, flask_test_client=http, auth={"token": token} if token else None), label)


def take_seat(conn: Conn, code: str, name: str, role: str = "HR", team: int | None = 1) -> Conn:
    payload = {"code": code, "name": name, "role": role, **({"team": team} if team else {})}
    reply = conn.call("take_seat", payload)
    assert reply["ok"], reply
    conn.client.get_received()
    conn.player_id, conn.team_id, conn.token = reply["seat"]["player_id"], reply["team"]["team"]["id"], reply["token"]
    return conn


@pytest.fixture
def connect():
    """connect(world, facilitator_id=..., token=..., label=...) -> Conn; all disconnected afterwards."""
    clients = []

    def _connect(world: World, facilitator_id: int | None = None, token: str | None = None, label: str = "") -> Conn:
        conn = open_connection(world, facilitator_id, token, label)
        clients.append(conn.client)
        return conn

    yield _connect
    for c in clients:
        if c.is_connected():
            c.disconnect()


@pytest.fixture
def seat(connect):
    """seat(world, code, name, role, team) -> a seated Conn."""

    def _seat(world: World, code: str, name: str = "Speler", role: str = "HR", team: int | None = 1, label: str = "") -> Conn:
        return take_seat(connect(world, label=label or name), code, name, role, team)

    return _seat


@dataclass
class Cast:
    """The five kinds of sender of the authorisation matrix, connected to one world."""

    anonymous: Conn
    player_a: Conn      # the turn player of team A1
    teammate_a: Conn    # a second player of team A1 (so a vote does not reveal at once)
    player_b: Conn
    facilitator_a: Conn
    facilitator_b: Conn

    def senders(self) -> dict[str, Conn]:
        return {"anonymous": self.anonymous, "player_a": self.player_a, "player_b": self.player_b,
                "facilitator_a": self.facilitator_a, "facilitator_b": self.facilitator_b}


@pytest.fixture
def cast(world, connect, seat) -> Cast:
    player_a = seat(world, world.code_a, "Anna", "HR", 1)
    teammate_a = seat(world, world.code_a, "Bas", "MT-lid", 1)
    player_b = seat(world, world.code_b, "Olga", "HR", 1)
    return Cast(connect(world, label="anonymous"), player_a, teammate_a, player_b,
                connect(world, facilitator_id=world.fac_a, label="facilitator_a"),
                connect(world, facilitator_id=world.fac_b, label="facilitator_b"))


def handler_failures(caplog) -> list[str]:
    """Log lines of handlers that crashed (a bug, never bad input)."""
    return [r.getMessage() for r in caplog.records if "handler failed" in r.getMessage() or r.exc_info]

