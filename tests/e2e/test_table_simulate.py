"""Issue 16, measured: in a simulated room every seated player's prediction is recorded on every card."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.server.conftest import run_cli, summary_of

pytestmark = pytest.mark.e2e


def test_every_seated_player_predicts_on_every_card_in_a_simulated_room(start_server, server_env):
    server = start_server("gevent")
    made = run_cli(server_env, "rooms", "create", "--deck", "mobiliteit-bespreekbaar", "--teams", "2", "--cards", "3")
    assert made.returncode == 0, made.stderr
    code = made.stdout.strip().splitlines()[-1]
    result = run_cli(server_env, "simulate", "--url", server.url, "--code", code, "--players", "7", "--seed", "16",
                     "--timeout", "90", timeout=150)
    summary = summary_of(result.stdout)
    assert result.returncode == 0 and summary["finished"] and summary["errors"] == 0, (summary, server.log()[-2000:])
    engine = create_engine(server_env["DATABASE_URL"])
    with engine.connect() as db:
        rows = db.execute(text(
            "SELECT r.id, COUNT(v.id), COUNT(v.prediction), (SELECT COUNT(*) FROM players p WHERE p.team_id = r.team_id "
            "AND p.removed_at IS NULL AND NOT p.observer) FROM rounds r LEFT JOIN votes v ON v.round_id = r.id AND v.ballot = 1 "
            "GROUP BY r.id, r.team_id")).all()
    engine.dispose()
    assert len(rows) == 2 * 3, rows  # every card of both tables was played
    for round_id, votes, predictions, seated in rows:
        assert votes == predictions == seated, f"round {round_id}: {votes} votes, {predictions} predictions, {seated} seated"
