"""CPU cost of the game's use cases per action, in-process (no sockets): robust on a busy machine.

Latency figures need an idle machine; CPU time per action does not (much). This plays rooms of
20 teams x 20 players through draw / 20 votes / start_decision / record_decision with the use
cases the Socket.IO handlers call (game/play/turns.py), on a temporary SQLite database, and
reports CPU milliseconds per vote (including building the team view and encoding it as JSON once,
as a broadcast does). Run it against another source tree with PYTHONPATH=/that/tree.

    python -m benchmarks.usecase_bench [--teams 20] [--rounds 5]      # JSON on the last line
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    import game
    from game.app import create_app
    from game.play import rooms, turns
    from game.play.events import VoteCast
    from game.rules.views import team_view  # noqa: F401  (imported for parity with the handlers)

    tmp = tempfile.mkdtemp(prefix="usecase-bench-")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/game.db", "TESTING": True, "SECRET_KEY": "bench",
                      "ASYNC_MODE": "threading", "DECKS_DIR": ROOT / "decks", "LOG_LEVEL": "WARNING"})
    db = app.extensions["inzetspel.db"]
    rng = random.Random(7)
    spec = rooms.RoomSpec(deck_slug="talent-en-passie", team_names=tuple(f"Team {i}" for i in range(1, args.teams + 1)),
                          cards=max(args.rounds, 1))
    code = rooms.create_room(db, None, spec)
    teams: list[list] = []
    online: set[int] = set()
    seat_cpu = time.process_time()
    for t in range(1, args.teams + 1):
        seats = []
        for i in range(args.team_size):
            # one name per room: a name already seated is refused (seat/name_taken)
            _token, seat, _ = rooms.take_seat(db, code, f"Speler {t}.{i}", "HR", t, frozenset(online))
            online.add(seat.player_id)
            seats.append(seat)
        teams.append(sorted(seats, key=lambda s: s.player_id))
    seat_cpu = time.process_time() - seat_cpu  # every join, into a room that fills up (a name check per join)
    frozen = frozenset(online)
    cpu = {"draw": 0.0, "vote": 0.0, "decide": 0.0}
    counts = {"draw": 0, "vote": 0, "decide": 0}

    def timed(kind: str, fn, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        c0 = time.process_time()
        outcome = fn(*a, **kw)
        for view in outcome.team_views.values():
            json.dumps({"team": view}, separators=(",", ":"))  # what a broadcast encodes once
        for event in outcome.events:  # a vote short of the ballot: who has voted
            if isinstance(event, VoteCast):
                json.dumps(event.view, separators=(",", ":"))
        cpu[kind] += time.process_time() - c0
        counts[kind] += 1
        return outcome

    started = time.perf_counter()
    for rnd in range(1, args.rounds + 1):
        for seats in teams:
            turn = seats[(rnd - 1) % len(seats)]
            outcome = timed("draw", turns.draw_card, db, turn, rnd, frozen)
            choices = [c["value"] for c in outcome.team_views[turn.team_id]["card"]["choices"]]
            for seat in rng.sample(seats, len(seats)):
                timed("vote", turns.cast_vote, db, seat, rnd, rng.choice(choices), frozen)
            timed("decide", turns.start_decision, db, turn, rnd, frozen)
            timed("decide", turns.record_decision, db, turn, rnd, None, "Benchmark.", None, dt.date.today(), frozen)
    wall = time.perf_counter() - started
    result = {
        "source": str(Path(game.__file__).parent.parent), "teams": args.teams, "team_size": args.team_size,
        "rounds": args.rounds, "votes": counts["vote"],
        "cpu_ms_per_vote": round(1000 * cpu["vote"] / counts["vote"], 3),
        "cpu_ms_per_draw": round(1000 * cpu["draw"] / counts["draw"], 3),
        "cpu_ms_per_decision_step": round(1000 * cpu["decide"] / counts["decide"], 3),
        "cpu_ms_per_seat": round(1000 * seat_cpu / (args.teams * args.team_size), 3),
        "votes_per_cpu_s": round(counts["vote"] / cpu["vote"], 1), "wall_s": round(wall, 2), "pid": os.getpid(),
    }
    print(json.dumps(result))
    sys.exit(0)


if __name__ == "__main__":
    main()
