"""Bot players for `inzetspel simulate`: they join over Socket.IO like tablets and play to the end.

Each bot keeps its seat token, so when the server restarts it reconnects to the same seat and
carries on; actions whose acknowledgement was lost are sent again (the server makes them count once).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass, field

import socketio

from game.rules.views import is_newer, with_votes

ACK_TIMEOUT = 10.0
ARGUMENTS_WAIT = 2.0     # how long a turn player lets the team argue before moving on
OFFLINE_GRACE = 3.0      # a turn player closes the vote when only offline players have not voted
BENIGN_AFTER_RETRY = ("/stale_round", "/wrong_phase")


@dataclass
class Stats:
    players: int = 0
    joined: int = 0
    votes_sent: int = 0
    votes_acknowledged: int = 0
    arguments: int = 0
    decisions: int = 0
    errors: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)
    reconnects: int = 0
    reveals_missed: int = 0   # rounds whose reveal a bot never saw (a broadcast that did not arrive)

    def error(self, code: str) -> None:
        self.errors += 1
        self.error_codes[code] = self.error_codes.get(code, 0) + 1


class Bot:
    """One simulated tablet."""

    def __init__(self, index: int, url: str, code: str, rng: random.Random, stats: Stats, think: float,
                 all_seated: asyncio.Event):
        self.index, self.url, self.code, self.rng, self.stats, self.think = index, url, code, rng, stats, think
        self.all_seated = all_seated  # like a facilitator saying "go": nobody draws before all have joined
        self.token: str | None = None
        self.player_id: int | None = None
        self.team: dict | None = None
        self.wake = asyncio.Event()
        self.done: set[tuple[str, int]] = set()      # (action, round) acknowledged
        self.retrying: set[tuple[str, int]] = set()  # sent before without an answer
        self.vote_intents: set[tuple[str, int]] = set()
        self.argument_ids: dict[int, str] = {}
        self.since: dict[tuple[str, int], float] = {}
        self.connects = 0
        self.reveals_seen: set[int] = set()
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_attempts=0, reconnection_delay=0.3,
                                        reconnection_delay_max=2.0, randomization_factor=0.5)
        self.sio.on("state", self._on_state)
        self.sio.on("voted", self._on_voted)
        self.sio.on("connect", self._on_connect)

    async def _on_connect(self) -> None:
        self.connects += 1
        if self.connects > 1:
            self.stats.reconnects += 1
        self.wake.set()

    async def _on_state(self, data: dict) -> None:
        if data.get("team") and is_newer(self.team, data["team"]):
            self.team = data["team"]
        if self.team and self.team.get("distribution") is not None:
            self.reveals_seen.add(self.team["round"])
        if data.get("seat"):
            self.player_id = data["seat"]["player_id"]
        self.wake.set()

    async def _on_voted(self, data: dict) -> None:
        """Who has voted, after a vote that did not complete the ballot."""
        team = with_votes(self.team, data)
        if team is None:  # a step was missed: fetch the whole state, as a tablet does
            reply = await self._call("get_state", {})
            if reply and reply.get("ok"):
                await self._on_state(reply)
        elif team is not self.team:
            self.team = team
            self.wake.set()

    def _auth(self) -> dict:
        return {"token": self.token} if self.token else {}

    async def run(self) -> None:
        await self._connect()
        await self._join()
        if self.stats.joined == self.stats.players:
            self.all_seated.set()
        await self.all_seated.wait()
        while not self._finished():
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=0.5)
            except asyncio.TimeoutError:
                pass
            self.wake.clear()
            if self.sio.connected and self.team:
                await self._act()
        if self.team and self.team["phase"] == "finished":
            self.stats.reveals_missed += self.team["cards_total"] - len(self.reveals_seen)
        await self.sio.disconnect()

    async def _connect(self) -> None:
        while True:
            try:
                await self.sio.connect(self.url, auth=self._auth, transports=["websocket"], wait_timeout=10)
                return
            except socketio.exceptions.ConnectionError:
                await asyncio.sleep(0.5)

    async def _join(self) -> None:
        name = f"Bot {self.index + 1}"
        while self.token is None:
            reply = await self._call("take_seat", {"code": self.code, "name": name, "role": self._role()})
            if reply and reply.get("ok"):
                self.token = reply["token"]
                self.player_id = reply["seat"]["player_id"]
                self.team = reply["team"]
                self.stats.joined += 1
            elif reply:
                raise RuntimeError(f"bot {self.index} could not join: {reply['error']}")
            else:
                await asyncio.sleep(0.5)

    def _role(self) -> str:
        return ("Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid")[self.index % 6]

    def _finished(self) -> bool:
        return bool(self.team) and (self.team["phase"] == "finished" or not self.team["room_open"])

    async def _call(self, event: str, payload: dict) -> dict | None:
        """Emit with acknowledgement; None when the connection dropped or the ack timed out."""
        try:
            return await self.sio.call(event, payload, timeout=ACK_TIMEOUT)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                socketio.exceptions.DisconnectedError):
            return None

    async def _do(self, action: str, rnd: int, payload: dict, step: str | None = None) -> bool:
        """Send an action once per round (and step); a lost ack is retried, a late 'already moved on' is fine."""
        key = (step or action, rnd)
        if key in self.done:
            return False
        if self.think:
            await asyncio.sleep(self.rng.uniform(0, self.think))
        reply = await self._call(action, {"round": rnd, **payload})
        if reply is None:
            self.retrying.add(key)
            return False
        if reply.get("ok"):
            self.done.add(key)
            return True
        code = reply["error"]["code"]
        if code == "draw/quorum":  # a table below the room's quorum never starts by itself: say so, do not hang
            raise RuntimeError(f"bot {self.index}: its table has fewer players than the room's quorum; "
                               "use more players or start the tables from the dashboard")
        if code.endswith("/not_your_turn"):
            # A stale view (the turn player came back, or presence differed between processes for a moment):
            # the server sends the team a fresh view; act again on that, as a tablet would.
            return False
        if key in self.retrying and code.endswith(BENIGN_AFTER_RETRY):
            self.done.add(key)  # our earlier attempt went through before the connection dropped
            return False
        self.stats.error(code)
        self.done.add(key)
        return False

    async def _act(self) -> None:
        team = self.team
        rnd, phase = team["round"], team["phase"]
        my_turn = team["turn_player_id"] == self.player_id
        if phase == "draw" and my_turn:
            await self._do("draw_card", rnd, {})
        elif phase in ("vote", "revote"):
            me = next((p for p in team["players"] if p["id"] == self.player_id), None)
            step = f"{phase}_cast"
            if me and me["votes_this_card"] and not me["voted"] and (step, rnd) not in self.done:
                choices = [c["value"] for c in team["card"]["choices"]]
                payload = {"choice": self.rng.choice(choices)}
                if phase == "vote" and team["settings"]["predictions"]:
                    payload["prediction"] = self.rng.choice(choices if team["card"]["kind"] == "dilemma" else [-1, 0, 1])
                if (phase, rnd) not in self.vote_intents:
                    self.vote_intents.add((phase, rnd))
                    self.stats.votes_sent += 1
                if await self._do("cast_vote", rnd, payload, step=step):
                    self.stats.votes_acknowledged += 1
            elif my_turn:
                await self._maybe_close_vote(team, rnd)
        elif phase in ("discuss", "decide"):
            await self._argue(team, rnd)
            if my_turn and phase == "discuss":
                waited = time.monotonic() - self.since.setdefault(("discuss", rnd), time.monotonic())
                if len(team["arguments"]) >= len(team["players"]) or waited >= ARGUMENTS_WAIT:
                    # With the second vote on, the team votes again after talking (that is the point of it).
                    move = "start_revote" if team["settings"]["second_vote"] else "start_decision"
                    await self._do(move, rnd, {})
                else:
                    self._wake_later(0.25)
            elif my_turn and phase == "decide":
                await self._decide(team, rnd)

    async def _maybe_close_vote(self, team: dict, rnd: int) -> None:
        """Seats whose tablet is gone cannot vote; after a grace period the turn player closes the vote."""
        missing = [p for p in team["players"] if p["votes_this_card"] and not p["voted"]]
        if missing and all(not p["online"] for p in missing):
            waited = time.monotonic() - self.since.setdefault((f"close_{team['phase']}", rnd), time.monotonic())
            if waited >= OFFLINE_GRACE:
                await self._do("close_vote", rnd, {}, step=f"close_{team['phase']}")
            else:
                self._wake_later(0.5)

    async def _argue(self, team: dict, rnd: int) -> None:
        if ("post_argument", rnd) in self.done:
            return
        card = team["card"]
        stance = self.rng.choice([c["value"] for c in card["choices"]]) if card["kind"] == "dilemma" else self.rng.choice(["for", "against"])
        arg_id = self.argument_ids.setdefault(rnd, uuid.uuid4().hex)
        text = self.rng.choice(["Dit past bij onze koers.", "Het risico is te groot.", "Eerst het gesprek voeren.",
                                "Dat vraagt lef van het MT.", "Zo houden we kennis binnen."])
        if await self._do("post_argument", rnd, {"id": arg_id, "stance": stance, "text": text}):
            self.stats.arguments += 1

    async def _decide(self, team: dict, rnd: int) -> None:
        choices = [c["value"] for c in team["card"]["choices"]]
        position = self.rng.choice(choices + [None])
        action = None
        if self.rng.random() < 0.5:
            due = dt.date.today() + dt.timedelta(days=self.rng.randint(14, 180))
            action = {"what": "Gesprek plannen over deze kaart", "owner": self.rng.choice(team["room"]["roles"]),
                      "due": due.isoformat()}
        if await self._do("record_decision", rnd, {"position": position, "rationale": "Besloten door de bot.", "action": action}):
            self.stats.decisions += 1

    def _wake_later(self, seconds: float) -> None:
        asyncio.get_running_loop().call_later(seconds, self.wake.set)


async def run_simulation(urls: list[str], code: str, players: int, seed: int | None = None,
                         timeout: float = 600.0, think: float = 0.05) -> dict:
    """Play the room to the end with `players` bots; return the summary."""
    rng = random.Random(seed)
    stats = Stats(players=players)
    all_seated = asyncio.Event()
    bots = [Bot(i, urls[i % len(urls)], code, random.Random(rng.random()), stats, think, all_seated) for i in range(players)]
    started = time.monotonic()
    finished = True
    try:
        await asyncio.wait_for(asyncio.gather(*(bot.run() for bot in bots)), timeout=timeout)
    except asyncio.TimeoutError:
        finished = False
        stats.error("simulate/timeout")
    finally:
        for bot in bots:
            if bot.sio.connected:
                await bot.sio.disconnect()
    return {
        "players": stats.players, "joined": stats.joined, "votes_sent": stats.votes_sent,
        "votes_acknowledged": stats.votes_acknowledged, "arguments": stats.arguments, "decisions": stats.decisions,
        "errors": stats.errors, "error_codes": stats.error_codes, "reconnects": stats.reconnects, "reveals_missed": stats.reveals_missed,
        "finished": finished, "seconds": round(time.monotonic() - started, 2),
    }
