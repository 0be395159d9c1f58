"""Scale-out: two `inzetspel serve` processes share rooms through PostgreSQL and a Redis message queue."""
from __future__ import annotations

import os
import uuid

import pytest

from tests.conftest import services_required
from tests.server.conftest import count_rows, run_cli, summary_of

pytestmark = [pytest.mark.server, pytest.mark.postgres]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        reason = f"Redis not reachable at {REDIS_URL}: {exc}"
        if services_required():
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
        pytest.skip(reason)
    return REDIS_URL


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet"])
def test_players_of_one_team_on_two_processes_see_each_other(async_mode, postgres_url, redis_url, start_server, tmp_path):
    from tests.server.conftest import base_env

    env = base_env(postgres_url)
    env.update(MESSAGE_QUEUE=redis_url, MESSAGE_QUEUE_CHANNEL=f"inzetspel-test-{uuid.uuid4().hex[:8]}")
    first = start_server(async_mode, env=env)
    second = start_server(async_mode, env=env)
    created = run_cli(env, "rooms", "create", "--deck", "functieruil-en-regio", "--teams", "2", "--cards", "3")
    assert created.returncode == 0, created.stderr
    code = created.stdout.strip().splitlines()[-1]

    # Bots alternate between the two URLs, so every team has players on both processes.
    result = run_cli(env, "simulate", "--url", first.url, "--url", second.url, "--code", code,
                     "--players", "8", "--seed", "11", "--timeout", "90", timeout=150)
    summary = summary_of(result.stdout)
    assert result.returncode == 0, (summary, first.log()[-2000:], second.log()[-2000:])
    assert summary["finished"] and summary["errors"] == 0
    assert summary["reveals_missed"] == 0  # every reveal reached every player, whichever process sent it
    assert summary["votes_acknowledged"] == 8 * 3 * 2  # two ballots per card
    assert count_rows(env, "SELECT count(*) FROM votes") == 48
    assert count_rows(env, "SELECT count(*) FROM (SELECT round_id, player_id, ballot FROM votes GROUP BY 1, 2, 3 HAVING count(*) > 1) d") == 0
    assert count_rows(env, "SELECT count(*) FROM decisions") == 2 * 3
