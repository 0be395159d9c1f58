"""Presence survives a dead process (issue 17): with two processes sharing Redis, when one is killed its
players go offline for the others within 10 s, and the team goes on without them."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
import socketio as sio_client

from tests.server.conftest import base_env
from tests.server.test_two_processes import redis_url  # noqa: F401 - the fixture, shared

pytestmark = [pytest.mark.server, pytest.mark.postgres]


class Tablet:
    def __init__(self, url: str, name: str):
        self.name, self.states, self.lock = name, [], threading.Lock()
        self.client = sio_client.Client(reconnection=False)
        self.client.on("state", self._state)
        self.client.connect(url, transports=["websocket"], wait_timeout=10)

    def _state(self, data: dict) -> None:
        with self.lock:
            self.states.append((time.monotonic(), data.get("team", data)))

    def call(self, event: str, payload: dict) -> dict:
        return self.client.call(event, payload, timeout=10)

    def latest(self, since: float = 0.0) -> dict | None:
        """The newest state pushed at or after `since` (None if none yet)."""
        with self.lock:
            return next((state for at, state in reversed(self.states) if at >= since), None)


def room(env: dict) -> str:
    from game.play.rooms import RoomSpec, create_room
    from game.store.db import Database

    db = Database(env["DATABASE_URL"])
    try:
        return create_room(db, None, RoomSpec(deck_slug="mobiliteit-bespreekbaar", team_names=("Team 1",), cards=3, shuffle=False))
    finally:
        db.dispose()


def test_a_killed_processs_players_go_offline_for_the_others_and_the_team_goes_on(postgres_url, redis_url, start_server):  # noqa: F811
    env = base_env(postgres_url)
    env.update(MESSAGE_QUEUE=redis_url, MESSAGE_QUEUE_CHANNEL=f"inzetspel-test-{uuid.uuid4().hex[:8]}",
               PRESENCE_SETTLE_SECONDS="1")  # the survivor trusts presence at once (production: 15 s after a start)
    survivor, doomed = start_server("gevent", env=env), start_server("gevent", env=env)
    code = room(env)
    anna = Tablet(survivor.url, "Anna")
    others = [Tablet(doomed.url, name) for name in ("Bas", "Cees")]
    for tablet in (*others, anna):  # Bas sits first: the turn player is on the process that will die
        assert tablet.call("take_seat", {"code": code, "name": tablet.name, "role": "HR", "team": 1})["ok"]
    assert others[0].call("draw_card", {"round": 1})["ok"]
    def online_now() -> int:  # asked afresh (a pushed view may predate the other process's seats)
        return sum(p["online"] for p in anna.call("get_state", {})["team"]["players"])

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and online_now() < 3:
        time.sleep(0.2)
    assert online_now() == 3

    killed_at = time.monotonic()
    doomed.kill()
    offline_at = None
    while time.monotonic() < killed_at + 15:
        # Only a state pushed after the kill counts: an older one may still show Bas and Cees offline
        # from before the survivor's presence had them (it shows online from a cache up to 1 s old).
        latest = anna.latest(since=killed_at)
        players = {p["name"]: p["online"] for p in latest["players"]} if latest else {}
        if players == {"Anna": True, "Bas": False, "Cees": False}:
            offline_at = time.monotonic()
            break
        time.sleep(0.1)
    assert offline_at is not None, anna.latest()
    from tests.security.test_server import record

    record("dead_process_offline_after_s", round(offline_at - killed_at, 2))
    assert offline_at - killed_at <= 10, offline_at - killed_at

    # The team goes on: the survivor's vote is taken, and with everyone present voted the ballot is revealed;
    # the turn player was on the dead process, so Anna stands in for the decision and draws the next card.
    reply = anna.call("cast_vote", {"round": 1, "choice": 1})
    assert reply["ok"], reply
    assert reply.get("revealed") is True, reply
    team = anna.call("get_state", {})["team"]
    assert team["turn_stand_in_for"] is not None and team["turn_player_id"] == team["players"][-1]["id"], team
    assert anna.call("start_decision", {"round": 1})["ok"]
    assert anna.call("record_decision", {"round": 1, "position": 1, "rationale": "Zonder Bas en Cees"})["ok"]
    assert anna.call("draw_card", {"round": 2})["ok"]  # Cees's turn by seat order; Cees is gone too
    anna.client.disconnect()
