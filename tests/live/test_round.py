"""A team plays a round over Socket.IO: draw, private votes, reveal, arguments, decision."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from game.store.models import VoteRecord
from tests.live.conftest import drain


def test_a_full_round_reaches_the_next_turn(team_of_three):
    anna, bas, cem = team_of_three
    assert anna.call("draw_card", {"round": 1})["ok"]
    state = bas.last_state()["team"]
    assert state["phase"] == "vote" and state["card"]["title"]
    drain(anna, bas, cem)

    assert anna.call("cast_vote", {"round": 1, "choice": 1})["ok"]
    assert bas.call("cast_vote", {"round": 1, "choice": 2})["ok"]
    state = cem.last_state()["team"]
    assert state["phase"] == "vote" and state["distribution"] is None and state["votes_cast"] == 2
    assert cem.call("cast_vote", {"round": 1, "choice": 2})["ok"]
    state = anna.last_state()["team"]
    assert state["phase"] == "discuss"
    assert [d["count"] for d in state["distribution"]][:2] == [1, 2]

    assert bas.call("post_argument", {"round": 1, "id": "arg-bas-0001", "stance": 2, "text": "Eerst praten."})["ok"]
    assert anna.call("start_decision", {"round": 1})["ok"]
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    reply = anna.call("record_decision", {"round": 1, "position": 2, "rationale": "Samen besloten",
                                          "action": {"what": "Gesprekken plannen", "owner": "HR", "due": due}})
    assert reply["ok"], reply
    state = cem.last_state()["team"]
    assert state["phase"] == "draw" and state["round"] == 2
    assert state["turn_player_id"] == bas.player_id  # the turn rotates
    assert state["decisions"][0]["action"]["owner"] == "HR"


def test_votes_stay_secret_until_the_reveal(team_of_three):
    anna, bas, cem = team_of_three
    anna.call("draw_card", {"round": 1})
    drain(anna, bas, cem)
    anna.call("cast_vote", {"round": 1, "choice": 3})
    for message in bas.client.get_received():
        text = repr(message)
        assert "my_vote': 3" not in text
        if message["name"] == "state":
            assert message["args"][0]["team"]["distribution"] is None


def test_a_double_tapped_vote_counts_once(team_of_three, db):
    anna, *_ = team_of_three
    anna.call("draw_card", {"round": 1})
    assert anna.call("cast_vote", {"round": 1, "choice": 1})["ok"]
    assert anna.call("cast_vote", {"round": 1, "choice": 1})["ok"]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(VoteRecord)) == 1


def test_only_the_turn_player_draws(team_of_three):
    anna, bas, _ = team_of_three
    reply = bas.call("draw_card", {"round": 1})
    assert reply == {"ok": False, "error": {"event": "draw_card", "code": "draw/not_your_turn", "message": reply["error"]["message"]}}
    assert bas.received("error")[0]["code"] == "draw/not_your_turn"


def test_a_second_draw_of_the_same_round_is_refused(team_of_three):
    anna, *_ = team_of_three
    assert anna.call("draw_card", {"round": 1})["ok"]
    assert anna.call("draw_card", {"round": 1})["error"]["code"] == "draw/wrong_phase"


def test_every_action_raises_the_views_version(team_of_three):
    # Clients keep the view with the highest version: with two server processes a broadcast can
    # arrive after a newer one, and an older view must never overwrite it (a team would stall).
    anna, bas, cem = team_of_three
    versions = [bas.last_state()["team"]["version"]] if bas.last_state() else []
    assert anna.call("draw_card", {"round": 1})["ok"]
    versions.append(bas.last_state()["team"]["version"])
    for player, choice in ((anna, 1), (bas, 2), (cem, 2)):
        assert player.call("cast_vote", {"round": 1, "choice": choice})["ok"]
        versions.append(bas.last_state()["team"]["version"])
    assert versions == sorted(versions) and len(set(versions)) == len(versions), versions


def test_a_client_ignores_a_view_that_arrives_after_a_newer_one():
    # The rule simulate bots and test clients use (static/js/team_views.js is the same for browsers).
    from game.rules.views import is_newer, with_votes

    newer = {"team": {"id": 7}, "version": 18, "phase": "decide", "round": 1, "players": [], "votes_cast": 0}
    older = {**newer, "version": 17, "phase": "revote"}
    assert not is_newer(newer, older) and is_newer(older, newer) and is_newer(None, older)
    voted = {"team_id": 7, "version": 17, "round": 1, "phase": "revote", "voter_ids": [1], "votes_cast": 1}
    assert with_votes(newer, voted) is newer  # an older `voted` changes nothing
    assert with_votes(newer, {**voted, "version": 19}) is None  # same round, other phase: fetch the state
    assert with_votes(older, {**voted, "version": 19})["players"] == [] and with_votes(older, {**voted, "version": 19})["votes_cast"] == 1
