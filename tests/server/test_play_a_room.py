"""`inzetspel serve` as a real process, played to the end by `inzetspel simulate` bots."""
from __future__ import annotations

import subprocess
import time

import pytest

from tests.server.conftest import INZETSPEL, ROOT, count_rows, run_cli, summary_of

pytestmark = pytest.mark.server


def votes_in(env: dict) -> int:
    return count_rows(env, "SELECT count(*) FROM votes")


def first_votes_in(env: dict) -> int:
    return count_rows(env, "SELECT count(*) FROM votes WHERE ballot = 1")


def duplicate_votes_in(env: dict) -> int:
    return count_rows(env, "SELECT count(*) FROM (SELECT round_id, player_id, ballot FROM votes GROUP BY 1, 2, 3 HAVING count(*) > 1) d")


def create_room(env: dict, teams: int = 3, cards: int = 4, *options: str) -> str:
    result = run_cli(env, "rooms", "create", "--deck", "mobiliteit-bespreekbaar", "--teams", str(teams), "--cards", str(cards),
                     *options)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("async_mode", "ballots"), [("gevent", 2), ("eventlet", 2), ("gevent", 1)])
def test_twelve_bots_play_a_room_to_the_end(async_mode, ballots, start_server, server_env):
    server = start_server(async_mode)
    # 3 teams, 4 cards; with the second vote on (the default) every player votes twice per card.
    code = create_room(server_env, 3, 4, *(() if ballots == 2 else ("--no-second-vote",)))
    result = run_cli(server_env, "simulate", "--url", server.url, "--code", code, "--players", "12", "--seed", "7",
                     "--timeout", "90", timeout=150)
    summary = summary_of(result.stdout)
    assert result.returncode == 0, (summary, server.log()[-3000:])
    assert summary["errors"] == 0 and summary["finished"] and summary["reveals_missed"] == 0
    assert summary["votes_sent"] == summary["votes_acknowledged"] == 48 * ballots
    assert first_votes_in(server_env) == 48 and votes_in(server_env) == 48 * ballots
    assert duplicate_votes_in(server_env) == 0
    log = server.log()
    assert "Traceback" not in log
    assert "deprecat" not in log.lower() and "development server" not in log.lower()


def test_a_server_killed_mid_game_loses_no_acknowledged_vote(start_server, server_env):  # noqa: C901
    server = start_server("gevent")
    code = create_room(server_env)
    sim = subprocess.Popen(
        [INZETSPEL, "simulate", "--url", server.url, "--code", code, "--players", "12", "--seed", "3",
         "--timeout", "120", "--think", "0.3"],
        env=server_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    while votes_in(server_env) < 20 and time.monotonic() < deadline:
        time.sleep(0.1)
    before = votes_in(server_env)
    assert before >= 20, "the game did not get going"
    server.kill()
    time.sleep(1.0)
    server.start()  # same port, same database file
    out, err = sim.communicate(timeout=150)
    summary = summary_of(out)
    assert sim.returncode == 0, (summary, err[-2000:], server.log()[-3000:])
    assert summary["finished"] and summary["errors"] == 0
    assert summary["reconnects"] >= 12  # every bot came back to its seat
    assert votes_in(server_env) == 96 >= summary["votes_acknowledged"]
    assert first_votes_in(server_env) == 48
    assert duplicate_votes_in(server_env) == 0
