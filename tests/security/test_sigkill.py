"""SIGKILL of a real server mid-round, restarted on the same database (issue 8, "Faults").

Three tablets play with a vote timer. The server is killed at a point of the round (while a timed vote
is open, during the discussion, or right after a decision) and started again on the same port and
database. What must hold after every kill:

- every acknowledged vote, argument and decision is stored, and nothing else (no half-written rows);
- every tablet reconnects by itself, with its seat token, to the same seat;
- the vote timer keeps its deadline: it is not restarted, and the vote closes by itself at the deadline
  (or at once after the restart when the deadline passed while the server was down);
- actions resent after the restart (as a tablet does when an ack was lost) are stored once.

`make test` kills once (in round 2, while a timed vote is open, after a whole round 1); `make soak`
(FAULT_KILLS=4) kills in the vote, the discussion and after a decision. The figures go to docs/security.md.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import uuid
from pathlib import Path

import pytest
import socketio as sio_client
from sqlalchemy import create_engine, text

from game.play.rooms import RoomSpec, create_room
from game.rules.settings import RoomSettings
from game.store.db import Database
from tests.server.conftest import disconnect_all

pytestmark = pytest.mark.server
FIGURES = Path(__file__).resolve().parents[2] / "test-artifacts" / "security-figures.json"
KILLS = int(os.environ.get("FAULT_KILLS", "1"))
STAGES = ("vote", "discuss", "decide")  # where the kill lands, round after round (from round 2 on)
VOTE_SECONDS = 4  # shorter than a facilitator may choose (10): the rules take any value, the test waits less


class Tablet:
    """One player's browser: a Socket.IO client that keeps its seat token and reconnects by itself."""

    def __init__(self, url: str, name: str):
        self.name, self.token, self.player_id = name, None, None
        self.connects = 0
        self.states: list[tuple[float, dict]] = []  # (arrival time, team view)
        self.seats_on_connect: list[int] = []      # the seat each (re)connect's `state` carried
        self.lock = threading.Lock()
        self.client = sio_client.Client(reconnection=True, reconnection_attempts=0, reconnection_delay=0.2,
                                        reconnection_delay_max=1.0, randomization_factor=0.2)
        self.client.on("connect", self._connected)
        self.client.on("state", self._state)
        self.client.connect(url, transports=["websocket"], auth=self._auth, wait_timeout=10)

    def _auth(self) -> dict:
        return {"token": self.token} if self.token else {}

    def _connected(self) -> None:
        with self.lock:
            self.connects += 1

    def _state(self, data: dict) -> None:
        with self.lock:
            self.states.append((time.time(), data["team"]))
            if data.get("seat"):
                self.seats_on_connect.append(data["seat"]["player_id"])

    def call(self, event: str, payload: dict) -> dict:
        return self.client.call(event, payload, timeout=15)

    def team(self) -> dict:
        reply = self.call("get_state", {})
        assert reply["ok"], reply
        return reply["team"]


def room_with_timer(url: str, cards: int) -> str:
    db = Database(url)
    try:
        settings = RoomSettings(second_vote=False, predictions=False, vote_seconds=VOTE_SECONDS)
        return create_room(db, None, RoomSpec(deck_slug="mobiliteit-bespreekbaar", team_names=("Team 1",),
                                              cards=cards, shuffle=False, settings=settings))
    finally:
        db.dispose()


def stored(url: str) -> dict:
    """What the database holds, read directly (not through the server)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            votes = conn.execute(text("SELECT r.number, v.player_id, v.ballot, v.choice FROM votes v "
                                      "JOIN rounds r ON r.id = v.round_id ORDER BY 1, 2, 3")).all()
            arguments = conn.execute(text("SELECT r.number, a.client_id FROM arguments a "
                                          "JOIN rounds r ON r.id = a.round_id ORDER BY 1, 2")).all()
            decisions = conn.execute(text("SELECT r.number FROM decisions d JOIN rounds r ON r.id = d.round_id "
                                          "ORDER BY 1")).all()
            deadline = conn.execute(text("SELECT deadline_at FROM teams")).scalar_one()
        if isinstance(deadline, str):  # SQLite hands the DateTime back as text here
            deadline = dt.datetime.fromisoformat(deadline)
        return {"votes": {(n, p): c for n, p, _b, c in votes}, "vote_rows": len(votes),
                "arguments": sorted((n, c) for n, c in arguments), "decisions": [d for (d,) in decisions],
                "deadline": deadline.replace(tzinfo=dt.timezone.utc).timestamp() if deadline else None}
    finally:
        engine.dispose()


class Game:
    """The scripted room and what the server acknowledged."""

    def __init__(self, url: str, tablets: list[Tablet]):
        self.url, self.tablets = url, tablets
        self.votes: dict[tuple[int, int], int] = {}   # (round, player) -> choice, acknowledged
        self.arguments: list[tuple[int, str]] = []    # (round, client id), acknowledged
        self.decisions: list[int] = []                # rounds, acknowledged

    def by_id(self, player_id: int) -> Tablet:
        return next(t for t in self.tablets if t.player_id == player_id)

    def turn(self) -> Tablet:
        return self.by_id(self.tablets[0].team()["turn_player_id"])

    def vote(self, tablet: Tablet, rnd: int, card: dict) -> None:
        choice = [c["value"] for c in card["choices"]][(tablet.player_id + rnd) % len(card["choices"])]
        reply = tablet.call("cast_vote", {"round": rnd, "choice": choice})
        assert reply["ok"], reply
        self.votes[(rnd, tablet.player_id)] = choice

    def argue(self, tablet: Tablet, rnd: int, card: dict, client_id: str | None = None) -> dict:
        stance = card["choices"][0]["value"] if card["kind"] == "dilemma" else "for"
        client_id = client_id or uuid.uuid4().hex
        reply = tablet.call("post_argument", {"round": rnd, "id": client_id, "stance": stance,
                                              "text": f"Argument van {tablet.name} in ronde {rnd}."})
        if reply["ok"] and (rnd, client_id) not in self.arguments:
            self.arguments.append((rnd, client_id))
        return reply

    def decide(self, tablet: Tablet, rnd: int, card: dict) -> dict:
        reply = tablet.call("record_decision", {"round": rnd, "position": card["choices"][-1]["value"],
                                                "rationale": f"Besluit ronde {rnd}."})
        if reply["ok"]:
            self.decisions.append(rnd)
        return reply

    def check_stored(self) -> dict:
        """Every acknowledged action is in the database, exactly once, and nothing else is."""
        now = stored(self.url)
        assert now["votes"] == self.votes and now["vote_rows"] == len(self.votes), (now, self.votes)
        assert now["arguments"] == sorted(self.arguments), (now["arguments"], self.arguments)
        assert now["decisions"] == self.decisions, (now["decisions"], self.decisions)
        return now


def wait_for(predicate, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def closed(tablet: Tablet, rnd: int) -> float | None:
    """When the tablet was told that round `rnd`'s vote closed (its first `state` past the vote)."""
    with tablet.lock:
        return next((at for at, team in tablet.states if team["round"] == rnd and team["phase"] == "discuss"), None)


def kill_and_restart(server, game: Game) -> float:  # noqa: ANN001
    """SIGKILL, check the database, start again; every tablet back on its own seat. Returns the restart time."""
    connects = {t.name: t.connects for t in game.tablets}
    seats_seen = {t.name: len(t.seats_on_connect) for t in game.tablets}
    server.kill()
    game.check_stored()  # with the server dead: what was acknowledged is on disk
    wait_for(lambda: not any(t.client.connected for t in game.tablets), 10, "the tablets to notice")
    server.start()
    restarted = time.time()
    wait_for(lambda: all(t.connects > connects[t.name] and len(t.seats_on_connect) > seats_seen[t.name]
                         for t in game.tablets), 30, "every tablet to reconnect to its seat")
    for tablet in game.tablets:
        assert tablet.seats_on_connect[-1] == tablet.player_id, "reconnected to another seat"
        assert tablet.team()["players"], "the seat's team came back"
    return restarted


def test_sigkill_mid_round_loses_nothing_and_resumes(start_server, sqlite_server_env, sqlite_url):
    cards = KILLS + 1
    server = start_server("gevent", env=sqlite_server_env)
    code = room_with_timer(sqlite_url, cards)
    tablets = [Tablet(server.url, name) for name in ("Anna", "Bas", "Cees")]
    try:
        for tablet in tablets:
            reply = tablet.call("take_seat", {"code": code, "name": tablet.name, "role": "HR"})
            assert reply["ok"], reply
            tablet.token, tablet.player_id = reply["token"], reply["seat"]["player_id"]
        game = Game(sqlite_url, tablets)
        kills, timer_checks, resent = 0, [], 0
        for rnd in range(1, cards + 1):
            stage = STAGES[(rnd - 2) % len(STAGES)] if 2 <= rnd <= KILLS + 1 else None
            turn = game.turn()
            reply = turn.call("draw_card", {"round": rnd})
            assert reply["ok"], reply
            card = turn.team()["card"]
            if stage == "vote":
                # Two of three vote; the timer is running when the server dies.
                for tablet in tablets[:2]:
                    game.vote(tablet, rnd, card)
                before = stored(sqlite_url)["deadline"]
                assert before is not None
                restarted = kill_and_restart(server, game)
                kills += 1
                after = game.check_stored()
                assert after["deadline"] == before, "the restart must not move the vote timer"
                # Resent votes (a lost ack) change the choice at most; they never add a row.
                for tablet in tablets[:2]:
                    game.vote(tablet, rnd, card)
                    resent += 1
                game.check_stored()
                # The vote closes by itself at the deadline (or at once if it passed during the restart).
                wait_for(lambda: closed(tablets[2], rnd) is not None, VOTE_SECONDS + 10, "the vote timer")
                closed_at = closed(tablets[2], rnd)
                team = tablets[2].team()
                assert team["phase"] == "discuss" and sum(d["count"] for d in team["distribution"]) == 2, team
                assert closed_at >= before - 0.5, "the vote closed before its deadline"
                assert closed_at <= max(before, restarted) + 4, "the vote timer did not resume"
                timer_checks.append({"deadline_kept": True, "late_by_s": round(closed_at - max(before, restarted), 2)})
            else:
                for tablet in tablets:
                    game.vote(tablet, rnd, card)
                assert tablets[0].team()["phase"] == "discuss"
            argument_ids = {}
            for tablet in tablets:
                argument_ids[tablet.name] = uuid.uuid4().hex
                assert game.argue(tablet, rnd, card, argument_ids[tablet.name])["ok"]
            if stage == "discuss":
                kill_and_restart(server, game)
                kills += 1
                for tablet in tablets:  # resent after a lost ack: answered as a duplicate, stored once
                    again = game.argue(tablet, rnd, card, argument_ids[tablet.name])
                    assert again["ok"] and again.get("duplicate"), again
                    resent += 1
                game.check_stored()
            turn = game.turn()
            assert turn.call("start_decision", {"round": rnd})["ok"]
            assert game.decide(turn, rnd, card)["ok"]
            if stage == "decide":
                kill_and_restart(server, game)
                kills += 1
                again = turn.call("record_decision", {"round": rnd, "position": None, "rationale": "nogmaals"})
                assert again["ok"] is False, again  # the round moved on: a resent decision is refused, not doubled
                resent += 1
                game.check_stored()
        final = game.check_stored()
        assert tablets[0].team()["phase"] == "finished"
        assert kills == KILLS
        assert "handler failed" not in server.log() and "Traceback" not in server.log(), server.log()[-3000:]
        record({"faults_injected": kills, "resent_after_restart": resent,
                "votes_acknowledged": len(game.votes), "votes_stored": final["vote_rows"],
                "arguments_acknowledged": len(game.arguments), "arguments_stored": len(final["arguments"]),
                "decisions_acknowledged": len(game.decisions), "decisions_stored": len(final["decisions"]),
                "reconnects": sum(t.connects - 1 for t in tablets), "timer_checks": timer_checks})
    finally:
        disconnect_all(tablet.client for tablet in tablets)


def record(value: dict) -> None:
    FIGURES.parent.mkdir(exist_ok=True)
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    figures["sigkill"] = value
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n")
