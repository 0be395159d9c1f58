"""A burst of votes in one team sends one `voted` per tick, never delays the reveal, and never lands after it."""
from __future__ import annotations

import time

import pytest

from game.extensions import socketio
from tests.live.conftest import drain

TICK = 0.05


@pytest.fixture
def ticking(app):
    """The game's production behaviour: `voted` coalesced per tick (test apps send at once by default)."""
    app.config["VOTED_COALESCE_SECONDS"] = TICK
    yield TICK


@pytest.fixture
def team_of_six(join, ticking):
    players = [join(name, "HR") for name in ("Anna", "Bas", "Cem", "Dirk", "Eva", "Fien")]
    assert players[0].call("draw_card", {"round": 1})["ok"]
    drain(*players)
    return players


def test_five_quick_votes_give_the_other_tablets_fewer_voted_events_than_votes(team_of_six):
    *voters, fien = team_of_six
    for i, p in enumerate(voters):
        assert p.call("cast_vote", {"round": 1, "choice": 1 + i % 2})["ok"]
    time.sleep(TICK * 6)
    voted = fien.received("voted")
    assert 1 <= len(voted) < len(voters), voted
    assert voted[-1]["votes_cast"] == 5
    assert set(voted[-1]["voter_ids"]) == {p.player_id for p in voters}


def test_what_a_tablet_shows_after_the_burst_counts_all_five(team_of_six):
    *voters, fien = team_of_six
    for p in voters:
        p.call("cast_vote", {"round": 1, "choice": 1})
    time.sleep(TICK * 6)
    team = fien.last_state()["team"]
    assert team["votes_cast"] == 5 and team["distribution"] is None
    assert [p["id"] for p in team["players"] if p["voted"]] == sorted(p.player_id for p in voters)


def test_the_reveal_arrives_at_once_and_no_voted_follows_it(join, ticking):
    players = [join(name, "HR") for name in ("Anna", "Bas", "Cem", "Dirk", "Eva")]
    players[0].call("draw_card", {"round": 1})
    drain(*players)
    watcher = players[-1]
    for p in players:
        reply = p.call("cast_vote", {"round": 1, "choice": 1})
        assert reply["ok"], reply  # the ack to the voter never waits for a tick
    # No sleep: the last vote's state (the reveal) went out with its answer, not at the next tick.
    states = watcher.received("state")
    assert states and states[-1]["team"]["phase"] == "discuss" and states[-1]["team"]["votes_cast"] == 5
    reveal_version = states[-1]["team"]["version"]
    time.sleep(TICK * 6)
    late = [v for v in watcher.received("voted") if v["version"] <= reveal_version]
    assert late == []  # a pending `voted` the reveal already carried was dropped


def test_a_vote_waits_at_most_about_one_tick(team_of_six):
    anna, *_, fien = team_of_six
    anna.call("cast_vote", {"round": 1, "choice": 1})
    assert fien.received("voted") == []  # not at once: the tick collects the burst
    deadline = time.monotonic() + 2
    seen: list = []
    while not seen and time.monotonic() < deadline:
        socketio.sleep(0.01)
        seen = fien.received("voted")
    assert seen and seen[0]["votes_cast"] == 1
