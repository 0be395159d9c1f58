"""How long the report of a large room takes: 40 cards, 200 players (20 teams of 10), every format.

Every player votes twice (before and after the discussion) and predicts the team majority: the
default room settings, so the PDF has both ballots in every chart and the perceptions section.

    .venv/bin/python benchmarks/report_bench.py [--cards 40] [--players 200] [--teams 20] [--repeat 3]

The room is written straight into a temporary SQLite database (playing 8,000 votes through the use
cases would measure the game, not the report); then load + aggregate and each renderer are timed.
Figures are in docs/report.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from game.report.aggregate import ReportOptions  # noqa: E402
from game.report.cache import RENDERED  # noqa: E402
from game.report.service import render, room_report  # noqa: E402
from game.store.db import Database  # noqa: E402
from game.store.models import (  # noqa: E402
    ArgumentRecord, DecisionRecord, DeckRecord, PlayerRecord, RoomCardRecord, RoomRecord, RoundRecord, TeamRecord, VoteRecord,
)
from game.play.library import sync_bundled_decks  # noqa: E402

ROLES = ["Bestuurder / directeur", "MT-lid", "Leidinggevende", "HR", "Medewerker", "OR-lid"]
ROLE_WEIGHTS = [1, 3, 6, 4, 8, 2]


def build_room(db: Database, cards: int, players: int, teams: int, seed: int = 1) -> int:
    """A finished room with `cards` cards played by every team; returns its id."""
    rng = random.Random(seed)
    with db.transaction() as s:
        decks = s.scalars(select(DeckRecord)).all()
        pool = [c for d in decks for c in d.content["cards"]]
        chosen = (pool * (cards // len(pool) + 1))[:cards]
        chosen = [{**c, "id": f"{c['id']}-{i}"} for i, c in enumerate(chosen)]
        room = RoomRecord(code="BENCH" + str(rng.randrange(10**6)).zfill(6)[:3], title="Benchmark: MT-sessie regio",
                          language="nl", deck_id=decks[0].id, roles=ROLES, cards_total=cards, is_open=False,
                          ended_at=dt.datetime(2026, 11, 23, 16))
        s.add(room)
        s.flush()
        room_cards = [RoomCardRecord(room_id=room.id, position=i, card=c) for i, c in enumerate(chosen, 1)]
        team_rows = [TeamRecord(room_id=room.id, position=i, name=f"Tafel {i}", phase="finished", rounds_done=cards)
                     for i in range(1, teams + 1)]
        s.add_all(room_cards + team_rows)
        s.flush()
        people = [PlayerRecord(room_id=room.id, team_id=team_rows[i % teams].id, token_hash=f"{room.id}-{i:064d}"[-64:],
                               display_name=f"P{i}", role=rng.choices(ROLES, ROLE_WEIGHTS)[0]) for i in range(players)]
        s.add_all(people)
        s.flush()
        members: dict[int, list[PlayerRecord]] = {}
        for p in people:
            members.setdefault(p.team_id, []).append(p)
        for rc in room_cards:
            n = len(rc.card.get("options") or [0] * 5)
            lean = rng.randrange(1, n + 1)
            for team in team_rows:
                rnd = RoundRecord(team_id=team.id, number=rc.position, room_card_id=rc.id, turn_player_id=members[team.id][0].id)
                s.add(rnd)
                s.flush()
                votes = [lean if rng.random() < 0.6 else rng.randrange(1, n + 1) for _ in members[team.id]]
                # The default room settings: a prediction with the first vote, and a second vote after discussion.
                guesses = [rng.randrange(1, n + 1) if n < 5 else rng.choice((-1, 0, 1)) for _ in votes]
                s.add_all(VoteRecord(round_id=rnd.id, player_id=p.id, ballot=1, choice=v, prediction=g)
                          for p, v, g in zip(members[team.id], votes, guesses))
                s.add_all(VoteRecord(round_id=rnd.id, player_id=p.id, ballot=2, choice=lean if rng.random() < 0.75 else v)
                          for p, v in zip(members[team.id], votes))
                stances = [str(i) for i in range(1, n + 1)] if rc.card["kind"] == "dilemma" else ["for", "against"]
                s.add_all(ArgumentRecord(round_id=rnd.id, player_id=p.id, client_id=f"{rnd.id}-{k}", stance=rng.choice(stances),
                                         text="Omdat we dit alleen samen met HR en de leidinggevende kunnen oppakken. " * rng.randint(1, 3))
                          for k, p in enumerate(members[team.id][:3]))
                s.add(DecisionRecord(round_id=rnd.id, position=max(set(votes), key=votes.count), rationale="Na een goed gesprek gekozen.",
                                     action_what="Gesprek plannen met de teamleiders" if rng.random() < 0.3 else None,
                                     action_owner="HR", action_due=dt.date(2027, 3, 1)))
        return room.id


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the PDF is laid out in child processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, repeat: int) -> tuple[float, float, object]:  # noqa: ANN001
    """Median wall-clock and CPU seconds (CPU time is what this process and its children used: other load
    on the machine inflates the wall clock, not the CPU time; two children at once make CPU > wall)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu_seconds()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(_cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=40)
    parser.add_argument("--players", type=int, default=200)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        db.upgrade()
        sync_bundled_decks(db, ROOT / "decks")
        start = time.perf_counter()
        room_id = build_room(db, args.cards, args.players, args.teams)
        print(f"room: {args.cards} cards, {args.players} players, {args.teams} teams "
              f"({2 * args.cards * args.players} votes in two ballots) written in {time.perf_counter() - start:.1f} s")
        render(room_report(db, room_id), "pdf")  # warm-up: imports, fonts
        wall_a, cpu_a, report = timed(lambda: room_report(db, room_id, ReportOptions()), args.repeat)
        print(f"{'step':<18} {'wall s':>7} {'cpu s':>7} {'size':>9}")
        print(f"{'load + aggregate':<18} {wall_a:7.2f} {cpu_a:7.2f}")
        for fmt in ("json", "csv", "xlsx", "html", "pdf"):
            # Each layout measured afresh: the cache (game/report/cache.py) is emptied before every run.
            wall, cpu, out = timed(lambda: (RENDERED.clear(), render(report, fmt))[1], args.repeat)
            print(f"{'render ' + fmt:<18} {wall:7.2f} {cpu:7.2f} {len(out.body) / 1e3:7.0f} kB")
            if fmt == "pdf":
                pdf_wall, pdf_cpu = wall + wall_a, cpu + cpu_a
        cached, _, _ = timed(lambda: render(report, "pdf"), args.repeat)
        print(f"{'PDF served again':<18} {cached:7.3f}   (the same content, from the cache)")
        # What a second download costs the server: the report is loaded and aggregated again (its content
        # is the cache key), then the kept PDF is found.
        again, again_cpu, _ = timed(lambda: render(room_report(db, room_id, ReportOptions()), "pdf"), args.repeat)
        print(f"PDF served again end to end (load + aggregate + cache): {again:.3f} s wall, {again_cpu:.3f} s CPU")
        print(f"PDF end to end (load + aggregate + render): {pdf_wall:.2f} s wall, {pdf_cpu:.2f} s CPU "
              f"(median of {args.repeat}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        db.dispose()


if __name__ == "__main__":
    main()
