"""Socket.IO test-client fixtures: a room and players who join it like tablets do."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from game.extensions import socketio
from game.play.accounts import create_facilitator
from game.play.rooms import RoomSpec, create_room
from game.rules.views import is_newer, with_votes

DECK = "mobiliteit-bespreekbaar"


@dataclass
class Player:
    client: object
    token: str
    player_id: int
    team_id: int

    def call(self, event: str, payload: object = None) -> dict:
        return self.client.emit(event, payload, callback=True)

    latest: dict | None = None

    def received(self, name: str) -> list:
        return [m["args"][0] for m in self.client.get_received() if m["name"] == name]

    def last_state(self) -> dict:
        """What this tablet shows now: the newest `state`, with the `voted` events after it applied
        (remembered across calls)."""
        for message in self.client.get_received():
            data = message["args"][0] if message["args"] else None
            if message["name"] == "state":
                self.latest = data if not self.latest or is_newer(self.latest.get("team"), data["team"]) else self.latest
            elif message["name"] == "voted" and self.latest and self.latest.get("team"):
                team = with_votes(self.latest["team"], data)
                assert team is not None, ("a voted event for another round or phase", data, self.latest["team"])
                self.latest = {**self.latest, "team": team}
        return self.latest


@pytest.fixture
def facilitator_id(db) -> int:
    return create_facilitator(db, "begeleider", "een-lang-wachtwoord")


@pytest.fixture
def room_code(db, facilitator_id) -> str:
    return create_room(db, facilitator_id, RoomSpec(deck_slug=DECK, team_names=("Team A", "Team B"), cards=2, shuffle=False))


@pytest.fixture
def join(app, room_code):
    """join(name, role=..., team=...) -> a seated Player with its own test client."""
    clients = []

    def _join(name: str = "Speler", role: str = "HR", team: int | None = 1, code: str | None = None) -> Player:
        client = socketio.test_client(app)
        clients.append(client)
        payload = {"code": code or room_code, "name": name, "role": role}
        if team is not None:
            payload["team"] = team
        reply = client.emit("take_seat", payload, callback=True)
        assert reply["ok"], reply
        client.get_received()
        return Player(client, reply["token"], reply["seat"]["player_id"], reply["team"]["team"]["id"])

    yield _join
    for c in clients:
        if c.is_connected():
            c.disconnect()


@pytest.fixture
def team_of_three(join):
    """Three players in Team A; the first one has the first turn."""
    return [join("Anna", "HR"), join("Bas", "Leidinggevende"), join("Cem", "MT-lid")]


def drain(*players: Player) -> None:
    """Take in what each tablet received so far (a later `received()` sees only newer messages)."""
    for p in players:
        p.last_state()
