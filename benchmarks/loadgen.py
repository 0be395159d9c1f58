"""Load generator: N players in teams of M play real rounds over Socket.IO (one asyncio process).

Each player is a python-socketio AsyncClient on the WebSocket transport. Per team and round: the
turn player draws; every player votes once (with a prediction of the team's majority when the room
asks for one) at a uniformly random moment in the vote window; the server reveals when the team is
complete; during the discussion --arguments players post an argument; the turn player starts and
records the decision. The same protocol drives the game (`inzetspel serve`) and the bare server
(benchmarks/bare_server.py).

    python -m benchmarks.loadgen --url http://127.0.0.1:5000 --room CODE:20 --room CODE2:10 \
        --team-size 20 --window 10 --rounds 10

Measured: connections made and held (dropped = made - held), vote ack latency (send -> ack),
vote -> reveal latency (the team's last vote sent -> the reveal received, per player), sustained
votes/s and the generator's own CPU (a generator near 100 % of its core measures itself, not the
server). One JSON object on the last line of stdout; --out also writes it with the raw samples.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field

import socketio

from benchmarks.stats import rate, summarize_ms

ROLES = ("Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid")
now = time.perf_counter


@dataclass
class Metrics:
    connected: int = 0
    connect_failures: int = 0
    seated: int = 0
    disconnects: int = 0              # disconnects we did not ask for, while the run lasted
    errors: int = 0
    error_codes: dict[str, int] = field(default_factory=dict)
    missing_reveals: int = 0
    ack_s: list[float] = field(default_factory=list)
    reveal_s: list[float] = field(default_factory=list)
    votes_acked: int = 0
    voted_received: int = 0           # `voted` events the tablets received (who has voted): per vote, coalescing shows
    rounds: list[dict] = field(default_factory=list)   # synchronised runs: per round throughput

    def error(self, code: str) -> None:
        self.errors += 1
        self.error_codes[code] = self.error_codes.get(code, 0) + 1


class Player:
    """One simulated tablet."""

    def __init__(self, team: Team, index: int, metrics: Metrics, ack_timeout: float):
        self.team, self.index, self.metrics, self.ack_timeout = team, index, metrics, ack_timeout
        self.player_id: int | None = None
        self.choices: list[int] = [1, 2]
        self.statement = False          # a statement card: predictions are a side (-1, 0, 1)
        self.predictions = False        # the room asks for a prediction with the first vote
        self.reveals: dict[int, float] = {}
        self.leaving = False
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("state", self._on_state)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on("voted", self._on_voted)

    async def _on_voted(self, _data: dict) -> None:
        self.metrics.voted_received += 1

    async def _on_state(self, data: dict) -> None:
        view = data.get("team") or {}
        card = view.get("card")
        if card and card.get("choices"):
            self.choices = [c["value"] for c in card["choices"]]
            self.statement = card.get("kind") == "statement"
        self.predictions = bool((view.get("settings") or {}).get("predictions")) and view.get("ballot", 1) == 1
        rnd = view.get("round")
        if view.get("distribution") is not None and view.get("phase") in ("discuss", "decide") and rnd not in self.reveals:
            self.reveals[rnd] = now()
            self.team.revealed(rnd)

    async def _on_disconnect(self, *_args: object) -> None:
        if not self.leaving:
            self.metrics.disconnects += 1

    async def connect(self, url: str) -> bool:
        for attempt in range(3):
            try:
                await self.sio.connect(url, transports=["websocket"], wait_timeout=30)
                self.metrics.connected += 1
                return True
            except socketio.exceptions.ConnectionError:
                await asyncio.sleep(0.5 * (attempt + 1))
        self.metrics.connect_failures += 1
        return False

    async def call(self, event: str, payload: dict) -> dict | None:
        """Emit with acknowledgement; an error or timeout is counted and None returned."""
        try:
            reply = await self.sio.call(event, payload, timeout=self.ack_timeout)
        except socketio.exceptions.TimeoutError:
            self.metrics.error(f"{event}/ack_timeout")
            return None
        except (socketio.exceptions.BadNamespaceError, socketio.exceptions.DisconnectedError):
            self.metrics.error(f"{event}/disconnected")
            return None
        if not reply or not reply.get("ok"):
            self.metrics.error((reply or {}).get("error", {}).get("code", f"{event}/no_reply"))
            return None
        return reply

    async def take_seat(self, code: str, team_position: int) -> bool:
        reply = await self.call("take_seat", {"code": code, "name": f"Speler {self.index + 1}",
                                              "role": ROLES[self.index % len(ROLES)], "team": team_position})
        if reply is None:
            return False
        self.player_id = reply["seat"]["player_id"]
        self.metrics.seated += 1
        return True

    async def vote(self, rnd: int, at: float, rng: random.Random) -> tuple[float, float] | None:
        """Vote at time `at`; return (sent, acked) or None."""
        delay = at - now()
        if delay > 0:
            await asyncio.sleep(delay)
        payload = {"round": rnd, "choice": rng.choice(self.choices)}
        if self.predictions:
            payload["prediction"] = rng.choice((-1, 0, 1) if self.statement else self.choices)
        sent = now()
        reply = await self.call("cast_vote", payload)
        if reply is None:
            return None
        acked = now()
        self.metrics.ack_s.append(acked - sent)
        self.metrics.votes_acked += 1
        return sent, acked


class Team:
    """A team of players and its rounds."""

    def __init__(self, code: str, position: int, size: int, first_index: int, metrics: Metrics, ack_timeout: float):
        self.code, self.position, self.metrics = code, position, metrics
        self.players = [Player(self, first_index + i, metrics, ack_timeout) for i in range(size)]
        self.reveal_counts: dict[int, int] = {}
        self.reveal_done: dict[int, asyncio.Event] = {}

    def revealed(self, rnd: int) -> None:
        self.reveal_counts[rnd] = self.reveal_counts.get(rnd, 0) + 1
        if self.reveal_counts[rnd] >= len(self.players):
            self._event(rnd).set()

    def _event(self, rnd: int) -> asyncio.Event:
        return self.reveal_done.setdefault(rnd, asyncio.Event())

    def turn_player(self, rnd: int) -> Player:
        """Turns rotate through the team in seat order (player id), as in game/rules/turns.py."""
        ordered = sorted(self.players, key=lambda p: p.player_id)
        return ordered[(rnd - 1) % len(ordered)]

    async def draw(self, rnd: int) -> bool:
        return await self.turn_player(rnd).call("draw_card", {"round": rnd}) is not None

    async def vote_and_reveal(self, rnd: int, start: float, window: float, rng: random.Random,
                              reveal_timeout: float) -> list[tuple[float, float]]:
        """Every player votes once in [start, start + window]; wait for the reveal on every tablet."""
        results = await asyncio.gather(*(p.vote(rnd, start + rng.uniform(0, window), rng) for p in self.players))
        sent = [r for r in results if r is not None]
        if len(sent) < len(self.players):
            return sent  # the team cannot complete: no reveal to wait for
        last_sent = max(s for s, _ in sent)
        try:
            await asyncio.wait_for(self._event(rnd).wait(), timeout=reveal_timeout)
        except asyncio.TimeoutError:
            pass
        for p in self.players:
            if rnd in p.reveals:
                self.metrics.reveal_s.append(max(0.0, p.reveals[rnd] - last_sent))
            else:
                self.metrics.missing_reveals += 1
        return sent

    async def discuss(self, rnd: int, arguments: int, seconds: float, rng: random.Random) -> None:
        """`arguments` players post an argument at random moments of the discussion."""
        async def one(player: Player, at: float) -> None:
            await asyncio.sleep(at)
            await player.call("post_argument", {"round": rnd, "id": f"b{player.index:05d}r{rnd:03d}x{rng.randrange(10**8):08d}",
                                                "stance": None, "text": f"Argument van speler {player.index + 1}."})

        posters = rng.sample(self.players, min(arguments, len(self.players)))
        await asyncio.gather(asyncio.sleep(seconds), *(one(p, rng.uniform(0, seconds)) for p in posters))

    async def decide(self, rnd: int) -> bool:
        turn = self.turn_player(rnd)
        if await turn.call("start_decision", {"round": rnd}) is None:
            return False
        return await turn.call("record_decision", {"round": rnd, "position": None, "rationale": "Benchmark."}) is not None


class CpuMeter:
    """This process's CPU time over wall time (100 % = one core), overall and per sample."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self.t0, self.c0 = now(), time.process_time()
        self._task = asyncio.get_running_loop().create_task(self._sample())

    async def _sample(self) -> None:
        last_t, last_c = now(), time.process_time()
        while True:
            await asyncio.sleep(1.0)
            t, c = now(), time.process_time()
            self.samples.append((round(t - self.t0, 2), round(100 * (c - last_c) / (t - last_t), 1)))
            last_t, last_c = t, c

    def stop(self) -> dict:
        if self._task:
            self._task.cancel()
        wall, cpu = now() - self.t0, time.process_time() - self.c0
        values = [v for _, v in self.samples]
        return {"mean_pct": round(100 * cpu / wall, 1) if wall else 0.0, "max_pct": max(values, default=0.0),
                "samples": self.samples}


async def connect_all(teams: list[Team], urls: list[str], concurrency: int) -> float:
    """Connect and seat every player, `concurrency` at a time; return the seconds it took. With
    several server URLs the players of each team alternate between them (scale-out)."""
    gate = asyncio.Semaphore(concurrency)
    started = now()

    async def one(team: Team, player: Player) -> None:
        async with gate:
            if await player.connect(urls[player.index % len(urls)]):
                await player.take_seat(team.code, team.position)

    await asyncio.gather(*(one(t, p) for t in teams for p in t.players))
    return now() - started


async def play(args: argparse.Namespace) -> dict:
    metrics = Metrics()
    rng = random.Random(args.seed)
    teams: list[Team] = []
    index = 0
    for spec in args.room:
        code, count = spec.rsplit(":", 1)
        for position in range(1, int(count) + 1):
            teams.append(Team(code, position, args.team_size, index, metrics, args.ack_timeout))
            index += args.team_size
    players = index
    cpu = CpuMeter()
    cpu.start()
    connect_s = await connect_all(teams, args.url, args.concurrency)
    ready = [t for t in teams if all(p.player_id is not None for p in t.players)]
    started = now()

    async def team_rounds(team: Team) -> None:
        for rnd in range(1, args.rounds + 1):
            if not await team.draw(rnd):
                return
            await team.vote_and_reveal(rnd, now(), args.window, rng, args.reveal_timeout)
            await team.discuss(rnd, args.arguments, args.discuss, rng)
            if not await team.decide(rnd):
                return

    async def synchronised_rounds() -> None:
        """Stress: all teams draw, vote in the same window, and decide together, round by round."""
        for rnd in range(1, args.rounds + 1):
            drawn = await asyncio.gather(*(t.draw(rnd) for t in ready))
            playing = [t for t, ok in zip(ready, drawn) if ok]
            start = now() + 0.05
            votes = await asyncio.gather(*(t.vote_and_reveal(rnd, start, args.window, rng, args.reveal_timeout)
                                           for t in playing))
            flat = [v for team_votes in votes for v in team_votes]
            if flat:
                first, last_ack = min(s for s, _ in flat), max(a for _, a in flat)
                metrics.rounds.append({"round": rnd, "votes": len(flat), "seconds": round(last_ack - first, 3),
                                       "votes_per_s": rate(len(flat), last_ack - first)})
            await asyncio.gather(*(t.discuss(rnd, args.arguments, args.discuss, rng) for t in playing))
            await asyncio.gather(*(t.decide(rnd) for t in playing))

    if args.sync:
        await synchronised_rounds()
    else:
        await asyncio.gather(*(team_rounds(t) for t in ready))
    play_s = now() - started
    held = sum(1 for t in teams for p in t.players if p.sio.connected)
    generator_cpu = cpu.stop()
    for t in teams:
        for p in t.players:
            p.leaving = True
    await asyncio.gather(*(p.sio.disconnect() for t in teams for p in t.players if p.sio.connected),
                         return_exceptions=True)
    sustained = [r["votes_per_s"] for r in metrics.rounds]
    return {
        "players": players, "teams": len(teams), "rooms": len(args.room), "team_size": args.team_size,
        "window_s": args.window, "rounds": args.rounds, "synchronised": args.sync, "discuss_s": args.discuss,
        "arguments_per_round": args.arguments,
        "offered_votes_per_s": round(sum(len(t.players) for t in ready) / args.window, 1) if args.sync else None,
        "connected": metrics.connected, "seated": metrics.seated, "held": held,
        "dropped": metrics.connected - held, "unexpected_disconnects": metrics.disconnects,
        "connect_failures": metrics.connect_failures, "connect_s": round(connect_s, 2), "play_s": round(play_s, 2),
        "votes_acked": metrics.votes_acked, "voted_received": metrics.voted_received,
        "voted_per_vote": round(metrics.voted_received / metrics.votes_acked, 2) if metrics.votes_acked else None,
        "votes_per_s_avg": rate(metrics.votes_acked, play_s),
        "votes_per_s_sustained": round(sorted(sustained)[len(sustained) // 2], 1) if sustained else None,
        "errors": metrics.errors, "error_codes": metrics.error_codes, "missing_reveals": metrics.missing_reveals,
        "ack_ms": summarize_ms(metrics.ack_s), "reveal_ms": summarize_ms(metrics.reveal_s),
        "rounds_detail": metrics.rounds,
        "generator_cpu": generator_cpu, "generator_pid": os.getpid(),
        "_raw": {"ack_s": metrics.ack_s, "reveal_s": metrics.reveal_s},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True, help="a server URL; repeat to spread players")
    parser.add_argument("--room", action="append", required=True, metavar="CODE:TEAMS",
                        help="a room code and how many teams it has; repeat for several rooms")
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--window", type=float, default=10.0, help="vote window in seconds")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--discuss", type=float, default=0.0, help="seconds between the reveal and the decision")
    parser.add_argument("--arguments", type=int, default=2, help="arguments posted per team during each discussion")
    parser.add_argument("--sync", action="store_true", help="all teams play each round together (stress)")
    parser.add_argument("--concurrency", type=int, default=50, help="connections opened at once")
    parser.add_argument("--ack-timeout", type=float, default=30.0)
    parser.add_argument("--reveal-timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="also write the result (with raw samples) to this JSON file")
    args = parser.parse_args(argv)
    result = asyncio.run(play(args))
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(result, fh)
    result.pop("_raw")
    result["generator_cpu"].pop("samples")
    print(json.dumps(result), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
