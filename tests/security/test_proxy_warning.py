"""The server says, once, when it sees forwarded headers it does not trust (PROXY_COUNT=0 behind a proxy)."""
from __future__ import annotations

import logging


def test_a_forwarded_request_without_proxy_count_is_warned_about_once(world_factory, caplog):
    world = world_factory(PROXY_COUNT=0)
    client = world.app.test_client()
    with caplog.at_level(logging.WARNING, logger="game.security"):
        client.get("/")
        assert not [r for r in caplog.records if "PROXY_COUNT" in r.getMessage()]
        for _ in range(3):
            client.get("/", headers={"X-Forwarded-For": "203.0.113.9"})
    warnings = [r for r in caplog.records if "PROXY_COUNT=0" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "203.0.113.9" not in warnings[0].getMessage()


def test_no_warning_when_the_proxy_is_trusted(world_factory, caplog):
    world = world_factory(PROXY_COUNT=1)
    with caplog.at_level(logging.WARNING, logger="game.security"):
        world.app.test_client().get("/", headers={"X-Forwarded-For": "203.0.113.9"})
    assert not [r for r in caplog.records if "PROXY_COUNT" in r.getMessage()]
