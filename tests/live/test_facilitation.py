"""The facilitator drives rooms over Socket.IO: plenary lockstep, second vote, predictions, controls."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from game.extensions import socketio
from game.live.events import FACILITATOR_EVENTS
from game.play import turns
from game.play.rooms import RoomSpec, create_room
from game.rules.codes import screen_token
from game.rules.settings import RoomSettings
from game.store.models import PlayerRecord, RoomRecord, RoundRecord, TeamRecord, VoteRecord
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


def call(client, event, payload):
    return client.emit(event, payload, callback=True)


def new_room(db, facilitator_id, teams=("Tafel 1", "Tafel 2", "Tafel 3"), **settings) -> str:
    return create_room(db, facilitator_id, RoomSpec(deck_slug="talent-en-passie", team_names=teams, cards=2,
                                                    shuffle=False, settings=RoomSettings(**settings)))


def phases(player) -> str:
    return player.last_state()["team"]["phase"]


def test_a_plenary_room_with_three_teams_is_driven_by_the_facilitator(app, db, facilitator_id, facilitator, join):
    code = new_room(db, facilitator_id, pacing="plenary")  # second vote and predictions on (the defaults)
    tables = [[join(f"P{t}{i}", "HR", team=t, code=code) for i in range(2)] for t in (1, 2, 3)]
    team_ids = sorted(table[0].team_id for table in tables)
    screen = socketio.test_client(app, auth={"screen": screen_token(app.config["SECRET_KEY"], code), "code": code})
    assert call(facilitator, "watch_room", {"code": code})["ok"]
    everyone = [p for table in tables for p in table]

    def all_in(phase: str) -> bool:
        return {phases(p) for p in everyone} == {phase}

    for card in (1, 2):
        # A player may not make the facilitator's steps in plenary pacing.
        assert tables[0][0].call("draw_card", {"round": card})["error"]["code"] == "draw/facilitator_drives"
        # 1. Draw: the same card for every table at once.
        assert sorted(call(facilitator, "advance_all", {"code": code})["moved"]) == team_ids
        assert all_in("vote") and len({p.last_state()["team"]["card"]["title"] for p in everyone}) == 1
        # 2. Vote: one player per table votes (with a prediction); the facilitator closes with whoever voted.
        wrong_guess = 2 if card == 1 else 1  # card 1 is a dilemma (options), card 2 a statement (sides -1/0/1)
        for table in tables:
            assert table[0].call("cast_vote", {"round": card, "choice": 1, "prediction": wrong_guess})["ok"]
        assert tables[0][0].call("close_vote", {"round": card})["error"]["code"] == "vote/facilitator_drives"
        assert all_in("vote")
        assert sorted(call(facilitator, "advance_all", {"code": code})["moved"]) == team_ids
        assert all_in("discuss")
        team = tables[2][1].last_state()["team"]
        assert [d["count"] for d in team["distribution"]][:2] == [1, 0]
        assert (team["predictions"]["made"], team["predictions"]["right"]) == (1, 0)
        assert tables[1][0].call("start_revote", {"round": card})["error"]["code"] == "revote/facilitator_drives"
        # 3. The second vote, started by the facilitator: the first vote is hidden again.
        assert sorted(call(facilitator, "advance_all", {"code": code})["moved"]) == team_ids
        assert all_in("revote") and tables[0][1].last_state()["team"]["distribution"] is None
        for table in tables:
            assert table[1].call("cast_vote", {"round": card, "choice": 2})["ok"]
        # 4. The facilitator closes the second vote: on to the decision, both ballots shown.
        assert sorted(call(facilitator, "advance_all", {"code": code})["moved"]) == team_ids
        assert all_in("decide")
        assert [d["count"] for d in tables[0][0].last_state()["team"]["distribution2"]][:2] == [0, 1]
        # 5. The decision is the team's own: the facilitator's step waits for every table.
        waiting = call(facilitator, "advance_all", {"code": code})
        assert waiting["moved"] == [] and {w["code"] for w in waiting["waiting"]} == {"advance/team_decides"}
        for table in tables:
            turn_id = table[0].last_state()["team"]["turn_player_id"]
            turn = next(p for p in table if p.player_id == turn_id)
            assert turn.call("record_decision", {"round": card, "position": 2, "rationale": ""})["ok"]
    assert all_in("finished")
    progress = [m for m in facilitator.get_received() if m["name"] == "team_progress"]
    assert progress and all(m["args"][0]["phase"] == "finished" for m in progress[-3:])
    # The big screen gets its own view (no team views, no names, no roles): the room's result per card once
    # every table revealed it; tables of two are below the minimum group, so none is shown on its own.
    seen = [m["args"][0] for m in screen.get_received() if m["name"] == "screen"]
    assert not any(m["name"] == "team_progress" for m in screen.get_received())
    last = seen[-1]
    # One vote per table each time: three votes in the room, below the minimum of 5, so no result is shown.
    assert [c["round"] for c in last["cards"]] == [1, 2]
    assert all(c["first"]["room"] is None and c["second"]["room"] is None and c["second"]["tables"] == [] for c in last["cards"])
    assert not any("players" in t or "role" in t for t in last["tables"])
    screen.disconnect()


def test_a_team_paced_room_with_second_vote_and_predictions(db, facilitator_id, join):
    code = new_room(db, facilitator_id, teams=("Tafel 1",))
    anna, bas, cem = (join(n, "HR", team=1, code=code) for n in ("Anna", "Bas", "Cem"))
    anna.call("draw_card", {"round": 1})
    for player, choice, prediction in ((anna, 1, 1), (bas, 1, 2), (cem, 2, 1)):
        assert player.call("cast_vote", {"round": 1, "choice": choice, "prediction": prediction})["ok"]
    team = cem.last_state()["team"]
    assert team["phase"] == "discuss" and team["predictions"] == {"made": 3, "right": 2, "majority": [1]}
    assert anna.call("start_revote", {"round": 1})["ok"]
    team = bas.last_state()["team"]
    assert team["phase"] == "revote" and team["distribution"] is None  # the first vote is hidden again
    for player in (anna, bas, cem):
        assert player.call("cast_vote", {"round": 1, "choice": 2})["ok"]
    team = anna.last_state()["team"]
    assert team["phase"] == "decide"
    assert [d["count"] for d in team["distribution"]][:2] == [2, 1]
    assert [d["count"] for d in team["distribution2"]][:2] == [0, 3]  # talking moved the team
    seat = anna.call("get_state", {})["seat"]
    assert seat["my_first_vote"] == 1 and seat["my_second_vote"] == 2 and seat["my_points"] == 2
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(VoteRecord).where(VoteRecord.ballot == 2)) == 3


def test_every_facilitator_event_from_a_player_is_refused_and_changes_nothing(db, facilitator_id, join, room_code):
    anna = join("Anna")
    team_id = anna.team_id
    events = {
        "advance_team": {"team_id": team_id}, "advance_all": {"code": room_code}, "pause_room": {"code": room_code, "on": True},
        "lock_room": {"code": room_code, "on": True}, "broadcast_message": {"code": room_code, "text": "hoi"},
        "move_player": {"player_id": anna.player_id, "team_id": team_id}, "remove_player": {"player_id": anna.player_id},
        "update_settings": {"code": room_code, "settings": {"pacing": "plenary"}},
        "team_move": {"team_id": team_id, "move": "draw_card", "round": 1}, "end_room": {"code": room_code},
        "watch_room": {"code": room_code}, "start_tables": {"code": room_code},
        "merge_players": {"keep_id": anna.player_id, "drop_id": anna.player_id},
    }
    assert set(events) == FACILITATOR_EVENTS  # a new facilitator event must be added here
    def room_state() -> tuple:
        with db.transaction() as s:
            room = s.scalars(select(RoomRecord)).one()
            players = s.execute(select(PlayerRecord.team_id, PlayerRecord.removed_at)).all()
            return (s.get(TeamRecord, team_id).version, room.paused, room.locked, room.message, room.is_open,
                    room.settings, players)

    before = room_state()
    for event, payload in events.items():
        reply = anna.call(event, payload)
        assert reply["error"]["code"] == "auth/facilitator_only", event
    assert room_state() == before


def test_another_facilitator_cannot_drive_my_room(app, db, join, room_code):
    from game.play.accounts import create_facilitator

    other = create_facilitator(db, "collega", "nog-een-lang-wachtwoord")
    http = app.test_client()
    with http.session_transaction() as session:
        sign_in(app, session, other)
    client = socketio.test_client(app, flask_test_client=http)
    anna = join("Anna")
    assert call(client, "advance_team", {"team_id": anna.team_id})["error"]["code"] == "room/not_your_room"
    assert call(client, "pause_room", {"code": room_code, "on": True})["error"]["code"] == "room/not_your_room"
    client.disconnect()


def test_pause_lock_message_move_and_remove(db, facilitator, join, room_code):
    anna, bas = join("Anna", team=1), join("Bas", team=1)
    assert call(facilitator, "pause_room", {"code": room_code, "on": True})["ok"]
    assert anna.last_state()["team"]["paused"] is True
    assert anna.call("draw_card", {"round": 1})["error"]["code"] == "room/paused"
    call(facilitator, "pause_room", {"code": room_code, "on": False})
    assert call(facilitator, "broadcast_message", {"code": room_code, "text": "Nog vijf minuten"})["ok"]
    assert bas.last_state()["team"]["message"] == "Nog vijf minuten"
    assert call(facilitator, "lock_room", {"code": room_code, "on": True})["ok"]
    late = socketio.test_client(facilitator.app)
    assert late.emit("take_seat", {"code": room_code, "name": "Laat", "role": "HR"}, callback=True)["error"]["code"] == "room/locked"
    late.disconnect()
    overview = call(facilitator, "watch_room", {"code": room_code})["overview"]
    other_team = next(t["team"]["id"] for t in overview["teams"] if t["team"]["id"] != anna.team_id)
    assert call(facilitator, "move_player", {"player_id": bas.player_id, "team_id": other_team})["ok"]
    assert any(m["name"] == "seat_changed" for m in bas.client.get_received())
    assert call(facilitator, "remove_player", {"player_id": anna.player_id})["ok"]
    assert anna.call("draw_card", {"round": 1})["error"]["code"] == "seat/not_in_team"
    with db.transaction() as s:
        assert s.get(PlayerRecord, bas.player_id).team_id == other_team
        assert s.get(PlayerRecord, anna.player_id).removed_at is not None


def test_a_vote_timer_closes_the_vote_with_whoever_voted(db, facilitator_id, join):
    code = new_room(db, facilitator_id, teams=("Tafel 1",), vote_seconds=30)
    anna, _bas = join("Anna", team=1, code=code), join("Bas", team=1, code=code)  # two: the quorum
    anna.call("draw_card", {"round": 1})
    assert anna.last_state()["team"]["seconds_left"] in (29, 30)
    anna.call("cast_vote", {"round": 1, "choice": 2})
    later = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(seconds=31)
    assert turns.due_timers(db, later) == [anna.team_id]
    result = turns.expire_vote(db, anna.team_id, later)
    assert result.team_views[anna.team_id]["phase"] == "discuss"
    assert turns.expire_vote(db, anna.team_id, later) is None  # a second process finds nothing to do
    with db.transaction() as s:
        assert s.scalar(select(RoundRecord.revealed_at)) is not None


def test_low_comfort_is_flagged_to_the_facilitator_as_a_count_never_who(app, db, facilitator_id, facilitator, join):
    # A table of three at the lowest minimum group (3): the gate lets its counts through (docs/privacy.md).
    code = new_room(db, facilitator_id, teams=("Tafel 1",), comfort=True, second_vote=False, min_group=3)
    anna, bas, cem = (join(n, "HR", team=1, code=code) for n in ("Anna", "Bas", "Cem"))
    screen = socketio.test_client(app, auth={"screen": screen_token(app.config["SECRET_KEY"], code), "code": code})
    assert "comfort" not in screen.get_received()[0]["args"][0]  # the big screen's overview has no comfort counts
    assert call(facilitator, "watch_room", {"code": code})["overview"]["comfort"][0]["answered"] == 0
    anna.call("draw_card", {"round": 1})
    for player in (anna, bas, cem):
        player.call("cast_vote", {"round": 1, "choice": 1})
    anna.call("start_decision", {"round": 1})
    assert anna.call("record_decision", {"round": 1, "position": 1, "rationale": ""})["ok"]
    facilitator.get_received()
    for player, score in ((anna, 1), (bas, 2), (cem, 5)):
        assert player.call("rate_comfort", {"round": 1, "score": score})["ok"]
    flags = [m["args"][0] for m in facilitator.get_received() if m["name"] == "comfort"]
    assert len(flags) == 3
    latest = flags[-1]
    assert (latest["answered"], latest["low"]) == (3, 2)
    assert [a["kind"] for a in latest["alerts"]] == ["comfort"]  # one decision someone can hardly live with
    # Counts only: nothing in the flag says who answered what.
    assert set(latest) == {"team_id", "answered", "low", "rounds", "alerts", "withheld"}
    assert set(latest["rounds"][0]) == {"round", "card_title", "answered", "low"}
    assert call(facilitator, "watch_room", {"code": code})["overview"]["comfort"][0]["low"] == 2
    # Changing an answer counts once; the team and the big screen never receive the flag.
    assert anna.call("rate_comfort", {"round": 1, "score": 4})["ok"]
    assert [m["args"][0] for m in facilitator.get_received() if m["name"] == "comfort"][-1]["low"] == 1
    assert not any(m["name"] == "comfort" for m in screen.get_received())
    received = bas.client.get_received()
    assert not any(m["name"] == "comfort" for m in received)
    team = [m["args"][0] for m in received if m["name"] == "state"][-1]["team"]
    assert "low" not in team and "comfort_due" not in team
    screen.disconnect()
