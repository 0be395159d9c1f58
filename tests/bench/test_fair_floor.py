"""The fair floor (bare + who-has-voted): the bare server tells the team who has voted, and the run's last line has its ratios."""
from __future__ import annotations

import time

import pytest

from benchmarks import document
from benchmarks.bare_server import build
from tests.bench.test_document_and_profile import _results, _run


def _team(voted: bool, tick: float, size: int = 6) -> list:
    app, socketio = build("threading", voted=voted, voted_tick=tick)
    clients = [socketio.test_client(app) for _ in range(size)]
    for c in clients:
        assert c.emit("take_seat", {"code": "R", "team": 1}, callback=True)["ok"]
    clients[0].emit("draw_card", {"round": 1}, callback=True)
    for c in clients:
        c.get_received()
    return clients


def _voted(client) -> list[dict]:
    return [m["args"][0] for m in client.get_received() if m["name"] == "voted"]


def test_the_bare_server_without_voted_tells_nobody_who_has_voted():
    *voters, other = _team(voted=False, tick=0)
    for c in voters:
        c.emit("cast_vote", {"round": 1, "choice": 1}, callback=True)
    assert _voted(other) == []


def test_the_fair_floor_sends_one_voted_per_vote_without_a_tick():
    *voters, other = _team(voted=True, tick=0)
    for c in voters:
        c.emit("cast_vote", {"round": 1, "choice": 1}, callback=True)
    voted = _voted(other)
    assert [v["votes_cast"] for v in voted] == [1, 2, 3, 4, 5]


def test_the_fair_floor_coalesces_a_burst_per_tick_and_the_reveal_carries_the_rest():
    *voters, other = _team(voted=True, tick=0.05)
    for c in voters:
        c.emit("cast_vote", {"round": 1, "choice": 1}, callback=True)
    time.sleep(0.3)
    voted = _voted(other)
    assert 1 <= len(voted) < 5 and voted[-1]["votes_cast"] == 5
    assert other.emit("cast_vote", {"round": 1, "choice": 2}, callback=True)["revealed"]


def test_the_last_line_has_the_fair_floor_and_its_ratios():
    results = _results(200.0, 100.0, 300.0, 800.0, 3.0)
    results["realistic"]["bare-voted/gevent/1000"] = _run("bare-voted", 1000, 125.0, server_cpu_ms_per_vote=2.75)
    pytest.importorskip("psutil")
    from benchmarks.run import headline

    line = headline(results, 1000)
    assert line["fair_p99_ms"] == 125.0 and line["ratio_p99_fair"] == 1.6
    assert line["ratio_cpu_per_vote_fair"] == 2.0
    results["headline"] = line
    rows = "\n".join(document.targets(results))
    assert "fair floor (bare + who-has-voted) p99, for orientation | 1.6 (200 / 125 ms)" in rows
    assert rows.count("| yes |") + rows.count("**no**") == 6  # the fair rows have no target of their own
