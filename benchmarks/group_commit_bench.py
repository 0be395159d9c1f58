"""Group commit on SQLite: votes per second and COMMITs per vote, synchronous=NORMAL against FULL.

Under gevent (as the server runs), `--tablets` greenlets cast votes through turns.cast_vote as fast as
they can (a closed loop: each sends its next vote when the last one is acknowledged), on a temporary
SQLite database in WAL mode; one player per team never votes, so no ballot closes. Four variants in
one run, interleaved and repeated (medians shown), so that only their ratios matter on a busy machine: group commit on and off (off = every
vote its own transaction, as before), each with synchronous=NORMAL and FULL. A fifth line: one
tablet alone (no concurrency) with FULL and NORMAL, the latency of a vote nobody shares a COMMIT with.

    python -m benchmarks.group_commit_bench [--teams 20] [--team-size 20] [--votes 10] [--dir DIR]

The database goes in --dir (default: the system's temporary directory); put it on the disk the game
will use: fsync costs what that disk costs. JSON on the last line.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402 - after monkey-patching, as in game/launch.py
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from sqlalchemy import event  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def prepare(path: Path, teams: int, team_size: int) -> list[list]:
    """A room of `teams` teams, each with team_size voters and one who never votes, card 1 drawn."""
    from game.play import rooms, turns
    from game.play.library import sync_bundled_decks
    from game.store.db import Database

    db = Database(f"sqlite:///{path}")
    db.upgrade()
    sync_bundled_decks(db, ROOT / "decks")
    spec = rooms.RoomSpec(deck_slug="talent-en-passie", team_names=tuple(f"Team {i}" for i in range(1, teams + 1)), cards=2)
    code = rooms.create_room(db, None, spec)
    voters = []
    for t in range(1, teams + 1):
        seats = [rooms.take_seat(db, code, f"Speler {t}-{i}", "HR", t)[1] for i in range(team_size + 1)]
        seats.sort(key=lambda s: s.player_id)
        turns.draw_card(db, seats[0], 1)  # the first seat draws (its turn), the last never votes
        voters.append(seats[:team_size])
    db.dispose()
    return voters


def alone(db, work):  # noqa: ANN001, ANN201
    with db.transaction() as session:
        return work(session)


def run(path: Path, voters: list[list], votes: int, synchronous: str, grouped: bool) -> dict:
    """Every voter casts `votes` votes (its choice changes each time); all voters at once."""
    from game.play import turns
    from game.store.db import Database

    db = Database(f"sqlite:///{path}", sqlite_synchronous=synchronous)
    if not grouped:  # as before group commit: every vote its own transaction
        db.grouped = lambda order, work: alone(db, work)
    commits = []
    event.listen(db.engine, "commit", lambda _conn: commits.append(1))
    latencies: list[float] = []

    def tablet(seat) -> None:  # noqa: ANN001
        for i in range(votes):
            t0 = time.perf_counter()
            turns.cast_vote(db, seat, 1, 1 + i % 2)
            latencies.append(time.perf_counter() - t0)

    flat = [seat for team in voters for seat in team]
    t0, c0 = time.perf_counter(), time.process_time()
    gevent.joinall([gevent.spawn(tablet, seat) for seat in flat], raise_error=True)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    db.dispose()
    latencies.sort()
    return {"synchronous": synchronous, "group_commit": grouped, "tablets": len(flat), "votes": len(latencies),
            "votes_per_s": round(len(latencies) / wall, 1), "votes_per_commit": round(len(latencies) / len(commits), 2),
            "cpu_ms_per_vote": round(1000 * cpu / len(latencies), 3),
            "p50_ms": round(1000 * statistics.median(latencies), 2),
            "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2)}


def median_row(rows: list[dict]) -> dict:
    """The medians of the numeric figures of repeated runs of one variant."""
    numeric = [k for k, v in rows[0].items() if isinstance(v, float)]
    return {**rows[0], **{k: round(statistics.median(r[k] for r in rows), 3) for k in numeric}, "runs": len(rows)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--team-size", type=int, default=20)
    parser.add_argument("--votes", type=int, default=10, help="votes per tablet")
    parser.add_argument("--alone", type=int, default=200, help="votes of the lone tablet")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant (medians are shown)")
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="group-commit-bench-", dir=args.dir))
    try:
        template = tmp / "template.db"
        voters = prepare(template, args.teams, args.team_size)
        runs: dict[tuple, list[dict]] = {}
        for _ in range(args.repeat):  # the variants interleaved: a neighbour's burst hits them alike
            for grouped in (False, True):
                for synchronous in ("NORMAL", "FULL"):
                    path = tmp / f"{synchronous}-{grouped}.db"
                    shutil.copy(template, path)
                    runs.setdefault((grouped, synchronous, False), []).append(run(path, voters, args.votes, synchronous, grouped))
            for synchronous in ("NORMAL", "FULL"):
                path = tmp / f"alone-{synchronous}.db"
                shutil.copy(template, path)
                row = {**run(path, [[voters[0][0]]], args.alone, synchronous, True), "alone": True}
                runs.setdefault((True, synchronous, True), []).append(row)
        rows = [median_row(variant) for variant in runs.values()]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'variant':40} {'votes/s':>8} {'votes/COMMIT':>12} {'CPU ms/vote':>11} {'p50 ms':>8} {'p99 ms':>8}")
    for r in rows:
        name = f"{'alone' if r.get('alone') else str(r['tablets']) + ' tablets'}, group commit {'on' if r['group_commit'] else 'off'}, {r['synchronous']}"
        print(f"{name:40} {r['votes_per_s']:8} {r['votes_per_commit']:12} {r['cpu_ms_per_vote']:11} {r['p50_ms']:8} {r['p99_ms']:8}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
