"""Issue 16 over Socket.IO: a quorum before the first card, complete ballots, presence in "x of y", seats."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from game.extensions import socketio
from game.store.models import PlayerRecord, VoteRecord
from tests.live.conftest import drain
from tests.conftest import sign_in


@pytest.fixture
def facilitator(app, facilitator_id):
    """A signed-in facilitator's dashboard connection."""
    http = app.test_client()
    with http.session_transaction() as session:
        sign_in(app, session, facilitator_id)
    client = socketio.test_client(app, flask_test_client=http)
    yield client
    client.disconnect()


def test_a_lone_player_waits_for_the_quorum_before_the_first_card(join):
    anna = join("Anna")
    assert anna.call("draw_card", {"round": 1})["error"]["code"] == "draw/quorum"
    join("Bas", "Leidinggevende")
    assert anna.call("draw_card", {"round": 1})["ok"]


def test_arrivals_before_the_first_draw_vote_on_the_first_card(join):
    anna, _bas, cem = join("Anna"), join("Bas"), join("Cem")
    assert anna.call("draw_card", {"round": 1})["ok"]
    assert all(p["votes_this_card"] for p in anna.call("get_state")["team"]["players"])
    assert cem.call("cast_vote", {"round": 1, "choice": 1, "prediction": 1})["ok"]


def test_the_facilitator_starts_the_tables_by_hand(facilitator, join, room_code):
    anna = join("Anna")
    reply = facilitator.emit("start_tables", {"code": room_code}, callback=True)
    assert reply["ok"] and anna.team_id in reply["started"]
    assert anna.call("get_state")["team"]["phase"] == "vote"
    assert reply["empty"] and reply["empty"][0]["code"] == "draw/no_players"  # Team B has nobody yet


def test_the_quorum_is_a_room_setting_the_facilitator_changes(facilitator, join, room_code):
    facilitator.emit("watch_room", {"code": room_code}, callback=True)
    assert facilitator.emit("update_settings", {"code": room_code, "settings": {"team_quorum": 1}}, callback=True)["ok"]
    anna = join("Anna")
    assert anna.call("get_state")["team"]["settings"]["team_quorum"] == 1
    assert anna.call("draw_card", {"round": 1})["ok"]


def test_the_last_voter_predicts_with_the_vote_and_every_prediction_is_recorded(db, join):
    anna, bas = join("Anna"), join("Bas")
    anna.call("draw_card", {"round": 1})
    assert anna.call("cast_vote", {"round": 1, "choice": 1, "prediction": 2})["revealed"] is False
    reply = bas.call("cast_vote", {"round": 1, "choice": 2, "prediction": 1})
    assert reply["ok"] and reply["revealed"] is True
    with db.transaction() as s:
        assert sorted(s.execute(select(VoteRecord.player_id, VoteRecord.prediction)).all()) == [(anna.player_id, 2), (bas.player_id, 1)]
    assert bas.call("get_state")["team"]["predictions"]["made"] == 2


def test_x_of_y_and_the_automatic_reveal_count_only_players_present(join):
    anna, bas, cem = join("Anna"), join("Bas"), join("Cem")
    anna.call("draw_card", {"round": 1})
    cem.client.disconnect()
    drain(anna)
    team = anna.call("get_state")["team"]
    assert (team["votes_needed"], team["votes_absent"]) == (2, 1)
    anna.call("cast_vote", {"round": 1, "choice": 1, "prediction": 1})
    assert bas.call("cast_vote", {"round": 1, "choice": 1, "prediction": 1})["revealed"] is True


def test_the_same_name_on_a_second_tablet_is_offered_its_seat_and_the_old_device_is_told(app, join, room_code):
    anna = join("Anna")
    second = socketio.test_client(app)
    taken = second.emit("take_seat", {"code": room_code, "name": " anna ", "role": "HR"}, callback=True)
    assert taken["error"]["code"] == "seat/name_taken" and "Anna" in taken["error"]["message"]
    anna.client.get_received()
    claimed = second.emit("claim_seat", {"code": room_code, "name": "anna"}, callback=True)
    assert claimed["ok"] and claimed["seat"]["player_id"] == anna.player_id and claimed["token"] != anna.token
    assert [m["args"][0] for m in anna.client.get_received() if m["name"] == "seat_moved"] == [{"player_id": anna.player_id}]
    assert not [m for m in second.get_received() if m["name"] == "seat_moved"]
    old = socketio.test_client(app, auth={"token": anna.token})
    assert [m["args"][0]["code"] for m in old.get_received() if m["name"] == "error"] == ["seat/unknown"]
    assert len(claimed["team"]["players"]) == 1  # one seat, now on this device
    second.disconnect()
    old.disconnect()


def test_someone_else_with_the_same_name_takes_a_new_seat(app, join, room_code):
    join("Anna")
    other = socketio.test_client(app)
    reply = other.emit("take_seat", {"code": room_code, "name": "Anna", "role": "HR", "team": 1, "as_new": True}, callback=True)
    assert reply["ok"] and len(reply["team"]["players"]) == 2
    other.disconnect()


def test_the_facilitator_merges_two_seats_of_one_person(db, facilitator, join, room_code):
    anna, bas = join("Anna"), join("Bas")
    anna2 = join("Anna 2")
    anna.call("draw_card", {"round": 1})
    anna2.call("cast_vote", {"round": 1, "choice": 2, "prediction": 1})
    facilitator.emit("watch_room", {"code": room_code}, callback=True)
    assert facilitator.emit("merge_players", {"keep_id": anna.player_id, "drop_id": anna2.player_id}, callback=True)["ok"]
    with db.transaction() as s:
        assert s.get(PlayerRecord, anna2.player_id).removed_at is not None
        assert s.execute(select(VoteRecord.player_id, VoteRecord.choice)).all() == [(anna.player_id, 2)]
    team = bas.call("get_state")["team"]
    assert len(team["players"]) == 2 and team["votes_cast"] == 1
    assert bas.call("cast_vote", {"round": 1, "choice": 1, "prediction": 1})["revealed"] is True


def test_a_function_title_is_accepted_as_action_owner_and_a_full_name_is_not(join):
    anna, bas = join("Anna"), join("Bas")
    anna.call("draw_card", {"round": 1})
    anna.call("cast_vote", {"round": 1, "choice": 1})
    bas.call("cast_vote", {"round": 1, "choice": 1})
    anna.call("start_decision", {"round": 1})
    decision = {"round": 1, "position": 1, "rationale": "Zo", "action": {"what": "Gesprek plannen", "due": (dt.date.today() + dt.timedelta(days=30)).isoformat()}}
    refused = anna.call("record_decision", {**decision, "action": {**decision["action"], "owner": "Jan de Vries"}})
    assert refused["error"]["code"] == "decide/invalid_owner"
    reply = anna.call("record_decision", {**decision, "action": {**decision["action"], "owner": "teamleider"}})
    assert reply["ok"], reply


def test_when_the_last_missing_voter_goes_offline_the_ballot_is_revealed(join):
    anna, bas, cem = join("Anna"), join("Bas"), join("Cem")
    anna.call("draw_card", {"round": 1})
    anna.call("cast_vote", {"round": 1, "choice": 1, "prediction": 1})
    bas.call("cast_vote", {"round": 1, "choice": 2, "prediction": 1})
    assert anna.call("get_state")["team"]["phase"] == "vote"
    cem.client.disconnect()
    team = anna.call("get_state")["team"]
    assert team["phase"] == "discuss" and sum(d["count"] for d in team["distribution"]) == 2


def test_seats_of_two_teams_are_not_merged(facilitator, join, room_code):
    anna, bea = join("Anna", team=1), join("Bea", team=2)
    facilitator.emit("watch_room", {"code": room_code}, callback=True)
    reply = facilitator.emit("merge_players", {"keep_id": anna.player_id, "drop_id": bea.player_id}, callback=True)
    assert reply["error"]["code"] == "player/other_team"


def test_saving_the_rules_on_the_dashboard_keeps_the_rooms_role_groups(db, facilitator, room_code):
    from game.store.models import RoomRecord

    groups = [{"name": "Leiding", "roles": ["Leidinggevende", "MT-lid"]}, {"name": "HR", "roles": ["HR"]}]
    with db.transaction() as session:
        room = session.scalar(select(RoomRecord).where(RoomRecord.code == room_code))
        room.settings = {**room.settings, "role_groups": groups}
    # The dashboard's form has no role groups: saving its rules (here the quorum) leaves them as they were.
    assert facilitator.emit("update_settings", {"code": room_code, "settings": {"team_quorum": 3}}, callback=True)["ok"]
    with db.transaction() as session:
        settings = session.scalar(select(RoomRecord.settings).where(RoomRecord.code == room_code))
    assert settings["team_quorum"] == 3 and settings["role_groups"] == groups


def test_while_the_turn_players_tablet_is_away_the_next_present_player_takes_the_turn(app, join):
    """Issue 17/16: an absent turn player (a sleeping tablet, a dead server process) does not stop the
    table: the next present player in seat order makes the turn moves until the turn player is back."""
    anna, bas, cem = join("Anna"), join("Bas"), join("Cem")
    assert anna.call("draw_card", {"round": 1})["ok"]
    anna.client.disconnect()
    team = bas.call("get_state")["team"]
    assert (team["turn_player_id"], team["turn_stand_in_for"]) == (bas.player_id, anna.player_id)
    bas.call("cast_vote", {"round": 1, "choice": 1, "prediction": 1})
    assert cem.call("cast_vote", {"round": 1, "choice": 2, "prediction": 1})["revealed"] is True
    assert cem.call("start_decision", {"round": 1})["error"]["code"] == "decide/not_your_turn"  # one stand-in
    # Anna's tablet comes back: the turn is hers again, and Bas's is refused.
    anna_again = socketio.test_client(app, auth={"token": anna.token})
    try:
        team = bas.call("get_state")["team"]
        assert (team["turn_player_id"], team["turn_stand_in_for"]) == (anna.player_id, None)
        drain(bas)
        assert bas.call("start_decision", {"round": 1})["error"]["code"] == "decide/not_your_turn"
        # A tablet refused as not its turn had a stale view: the team gets a fresh one, naming whose turn it is.
        fresh = [m["team"] for m in bas.received("state") if "team" in m]
        assert fresh and fresh[-1]["turn_player_id"] == anna.player_id, fresh
        anna_again.disconnect()
        assert bas.call("start_decision", {"round": 1})["ok"]
        reply = bas.call("record_decision", {"round": 1, "position": 1, "rationale": "Samen besloten"})
        assert reply["ok"], reply
        assert reply["seat"] is not None and bas.call("get_state")["team"]["phase"] == "draw"
    finally:
        if anna_again.is_connected():
            anna_again.disconnect()
