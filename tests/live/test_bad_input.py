"""Bad input over Socket.IO: every refusal is an ack {ok: false, error: {code}} plus an `error` event,
and a refused message changes nothing in the database."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from game.extensions import socketio
from game.play.accounts import create_facilitator
from game.play.rooms import RoomSpec, create_room
from game.rules.settings import RoomSettings
from game.store.models import Base, RoomRecord, TeamRecord, VoteRecord
from tests.live.conftest import DECK, Player, drain
from tests.conftest import sign_in

PLAYER_EVENTS = ("get_state", "draw_card", "cast_vote", "close_vote", "post_argument", "start_decision", "record_decision")
HUGE = "x" * 100_000


@dataclass
class Client:
    """A Socket.IO connection that is not (yet) a seated player: a stranger or a facilitator."""

    client: object

    def call(self, event: str, *args: object) -> dict:
        return self.client.emit(event, *args, callback=True)

    def received(self, name: str) -> list:
        return [m["args"][0] for m in self.client.get_received() if m["name"] == name]


@pytest.fixture
def connect(app):
    """connect(facilitator_id=..., token=...) -> a Client; disconnected after the test."""
    clients = []

    def _connect(facilitator_id: int | None = None, token: str | None = None) -> Client:
        http = app.test_client()
        if facilitator_id is not None:
            with http.session_transaction() as session:
                sign_in(app, session, facilitator_id)
        sio = socketio.test_client(app, flask_test_client=http, auth={"token": token} if token else None)
        clients.append(sio)
        return Client(sio)

    yield _connect
    for c in clients:
        if c.is_connected():
            c.disconnect()


@pytest.fixture
def stranger(connect) -> Client:
    return connect()


@pytest.fixture
def facilitator(connect, facilitator_id) -> Client:
    """The room's own facilitator, logged in."""
    return connect(facilitator_id=facilitator_id)


@dataclass
class OtherRoom:
    code: str
    facilitator: Client
    player: Player


@pytest.fixture
def other_room(db, join, connect) -> OtherRoom:
    """A second room, of another facilitator, with one seated player."""
    owner = create_facilitator(db, "collega", "nog-een-lang-wachtwoord")
    code = create_room(db, owner, RoomSpec(deck_slug=DECK, team_names=("Elders",), cards=2, shuffle=False,
                                           settings=RoomSettings(team_quorum=1)))  # one player may start this table
    return OtherRoom(code, connect(facilitator_id=owner), join("Olga", "HR", team=1, code=code))


def fingerprint(db) -> dict:
    """Everything a refused message must leave alone: row counts, team phases and versions, votes, rooms."""
    with db.transaction() as s:
        return {
            "rows": {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables},
            "teams": s.execute(select(TeamRecord.id, TeamRecord.phase, TeamRecord.rounds_done, TeamRecord.version)
                               .order_by(TeamRecord.id)).all(),
            "votes": s.execute(select(VoteRecord.player_id, VoteRecord.choice).order_by(VoteRecord.id)).all(),
            "rooms": s.execute(select(RoomRecord.id, RoomRecord.is_open, RoomRecord.ended_at).order_by(RoomRecord.id)).all(),
        }


def team_row(db, team_id: int) -> tuple:
    with db.transaction() as s:
        team = s.get(TeamRecord, team_id)
        return team.phase, team.rounds_done, team.version


def assert_refused(sender: Player | Client, reply: object, event: str, code: str) -> None:
    """The ack says no with `code`, and the same error reached the sender as an `error` event."""
    assert isinstance(reply, dict) and reply.get("ok") is False, reply
    assert reply["error"]["code"] == code, reply
    assert reply["error"]["event"] == event
    assert isinstance(reply["error"]["message"], str) and reply["error"]["message"]
    assert sender.received("error") == [reply["error"]]


def due_date(days: int = 30) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def advance(team: list[Player], phase: str) -> None:
    """Play round 1 up to `phase` (Anna has the turn; in `vote` only Bas has voted)."""
    anna, bas, _ = team
    steps = [
        ("vote", anna, "draw_card", {"round": 1}),
        ("vote", bas, "cast_vote", {"round": 1, "choice": 1}),
        ("discuss", anna, "close_vote", {"round": 1}),
        ("decide", anna, "start_decision", {"round": 1}),
    ]
    order = ["draw", "vote", "discuss", "decide"]
    for needed, who, event, payload in steps:
        if order.index(phase) >= order.index(needed):
            assert who.call(event, payload)["ok"]
    drain(*team)


# --- malformed payloads, event by event ----------------------------------------------------------

Change = Callable[[dict], object]


def raw(value: object) -> Change:
    return lambda base: value


def with_(**fields: object) -> Change:
    return lambda base: {**base, **fields}


def without(key: str) -> Change:
    return lambda base: {k: v for k, v in base.items() if k != key}


NOT_A_DICT = [raw([]), raw([{"round": 1}]), raw("round=1"), raw(""), raw(42), raw(-1.5), raw(True), raw(False)]
ALWAYS_BAD = [
    *NOT_A_DICT,
    with_(player_id=1), with_(seat="elders"), with_(as_facilitator=True), with_(big=HUGE),
    with_(nested={"deeper": [1, {"deepest": None}]}),
    raw({f"key{i}": i for i in range(2000)}),
]


def bad_numbers(key: str, low: int, high: int | None = None, optional: bool = False) -> list[Change]:
    """Wrong types and out-of-range values for an integer field (`optional`: absent or null is fine)."""
    changes = [with_(**{key: str(low)}), with_(**{key: float(low)}), with_(**{key: low + 0.5}), with_(**{key: True}),
               with_(**{key: False}), with_(**{key: low - 1}), with_(**{key: -(2**63)}), with_(**{key: [low]}),
               with_(**{key: {"value": low}})]
    if high is not None:
        changes += [with_(**{key: high + 1}), with_(**{key: 10**30})]
    if not optional:
        changes += [without(key), with_(**{key: None})]
    return changes


def bad_strings(key: str, max_len: int) -> list[Change]:
    """Wrong types and oversize values for a string field."""
    return [with_(**{key: 12345678}), with_(**{key: True}), with_(**{key: ["a"]}), with_(**{key: {"$ne": ""}}),
            with_(**{key: "y" * (max_len + 1)}), with_(**{key: HUGE})]


@dataclass
class EventSpec:
    sender: str                       # "stranger", "anna" (the turn player) or "facilitator"
    phase: str                        # the phase in which `base` would succeed
    base: Callable[[dict], dict]      # a valid payload, from the test's context
    bad: list[Change] = field(default_factory=list)
    changes_state: bool = True


SPECS = {
    "take_seat": EventSpec(
        "stranger", "draw", lambda c: {"code": c["code"], "name": "Eva", "role": "HR", "team": 2},
        [raw(None), *ALWAYS_BAD, without("code"), without("name"), without("role"), with_(code=None), with_(name=None),
         *bad_strings("code", 20), *bad_strings("name", 40), *bad_strings("role", 60),
         *bad_numbers("team", 1, 20, optional=True), with_(team_id=1), with_(token="a" * 43)]),
    "get_state": EventSpec(
        "anna", "vote", lambda c: {},
        [*ALWAYS_BAD, with_(round=1), with_(team_id=1), with_(player_id=2)], changes_state=False),
    "draw_card": EventSpec(
        "anna", "draw", lambda c: {"round": 1},
        [raw(None), *ALWAYS_BAD, *bad_numbers("round", 1, 1000), with_(team_id=2), with_(card="mb-02")]),
    "cast_vote": EventSpec(
        "anna", "vote", lambda c: {"round": 1, "choice": 2},
        [raw(None), *ALWAYS_BAD, *bad_numbers("choice", 1, 5), *bad_numbers("round", 1, 1000),
         *bad_numbers("prediction", -1, 4, optional=True), with_(player_id=2), with_(team=2), with_(choices=[1, 2])]),
    "close_vote": EventSpec(
        "anna", "vote", lambda c: {"round": 1},
        [raw(None), *ALWAYS_BAD, *bad_numbers("round", 1, 1000), with_(force=True)]),
    "post_argument": EventSpec(
        "anna", "discuss", lambda c: {"round": 1, "id": "arg-anna-0001", "stance": 1, "text": "Eerst praten."},
        [raw(None), *ALWAYS_BAD, *bad_numbers("round", 1, 1000), without("id"), without("text"), with_(text=None),
         with_(id="kort"), with_(id="met spaties erin"), with_(id="a" * 65), with_(id="arg/../../etc"), with_(id=12345678),
         *bad_strings("text", 280), with_(stance=0), with_(stance=6), with_(stance="misschien"), with_(stance="FOR"),
         with_(stance=True), with_(stance=1.0), with_(stance=[1]), with_(stance={"for": 1}), with_(author="Bas")]),
    "start_decision": EventSpec(
        "anna", "discuss", lambda c: {"round": 1},
        [raw(None), *ALWAYS_BAD, *bad_numbers("round", 1, 1000), with_(position=1)]),
    "record_decision": EventSpec(
        "anna", "decide",
        lambda c: {"round": 1, "position": 1, "rationale": "Samen besloten",
                   "action": {"what": "Gesprekken plannen", "owner": "HR", "due": c["due"]}},
        [raw(None), *ALWAYS_BAD, *bad_numbers("round", 1, 1000), *bad_numbers("position", 1, 5, optional=True), without("position"),
         with_(rationale=None), *bad_strings("rationale", 200), with_(action="HR"), with_(action=[]), with_(action={}),
         with_(action=True), with_(decided_by=2),
         lambda b: {**b, "action": {**b["action"], "due": "morgen"}},
         lambda b: {**b, "action": {**b["action"], "due": "2027-13-45"}},
         lambda b: {**b, "action": {**b["action"], "due": None}},
         lambda b: {**b, "action": {**b["action"], "owner": "O" * 61}},
         lambda b: {**b, "action": {**b["action"], "owner": None}},
         lambda b: {**b, "action": {**b["action"], "what": HUGE}},
         lambda b: {**b, "action": {**b["action"], "who": "Piet"}},
         lambda b: {**b, "action": {k: v for k, v in b["action"].items() if k != "due"}}]),
    "watch_room": EventSpec(
        "facilitator", "draw", lambda c: {"code": c["code"]},
        [raw(None), *ALWAYS_BAD, without("code"), with_(code=None), *bad_strings("code", 20), with_(facilitator_id=1)],
        changes_state=False),
    "team_move": EventSpec(
        "facilitator", "draw", lambda c: {"team_id": c["team_id"], "move": "draw_card", "round": 1},
        [raw(None), *ALWAYS_BAD, *bad_numbers("team_id", 1), with_(team_id=-5), with_(team_id=str(10**30)),
         without("move"), with_(move="record_decision"), with_(move="cast_vote"), with_(move="end_room"),
         with_(move="DRAW_CARD"), with_(move=1), with_(move=["draw_card"]), *bad_numbers("round", 1, 1000),
         with_(room="KM4TQ8ZA"), with_(facilitator_id=1)]),
    "end_room": EventSpec(
        "facilitator", "draw", lambda c: {"code": c["code"]},
        [raw(None), *ALWAYS_BAD, without("code"), with_(code=None), *bad_strings("code", 20), with_(team_id=1)]),
}


@pytest.mark.parametrize("event", list(SPECS))
def test_a_malformed_payload_is_refused_and_changes_nothing(event, team_of_three, stranger, facilitator, room_code, db):
    spec = SPECS[event]
    advance(team_of_three, spec.phase)
    sender = {"stranger": stranger, "anna": team_of_three[0], "facilitator": facilitator}[spec.sender]
    sender.received("error")  # forget what connecting brought
    base = spec.base({"code": room_code, "team_id": team_of_three[0].team_id, "due": due_date()})
    before = fingerprint(db)

    for change in spec.bad:
        payload = change(dict(base))
        reply = sender.call(event, payload)
        shown = repr(payload)[:120]
        assert reply["ok"] is False and reply["error"]["code"] == "payload/invalid", f"{event} {shown} -> {reply}"
        assert_refused(sender, reply, event, "payload/invalid")
        assert fingerprint(db) == before, f"{event} {shown} changed the database"
    for bystander in team_of_three[1:]:
        assert bystander.received("error") == []

    # Control: the valid payload succeeds from the same sender, so the refusals above were the payload's doing.
    reply = sender.call(event, base)
    assert reply["ok"] is True, reply
    assert (fingerprint(db) != before) is spec.changes_state


def test_an_event_with_no_payload_or_with_several_is_refused_as_invalid(team_of_three, db):
    anna = team_of_three[0]
    advance(team_of_three, "vote")
    before = fingerprint(db)
    assert_refused(anna, anna.client.emit("cast_vote", callback=True), "cast_vote", "payload/invalid")
    for extra in ({"round": 1, "choice": 2}, None, "tweede"):
        reply = anna.client.emit("cast_vote", {"round": 1, "choice": 2}, extra, callback=True)
        assert_refused(anna, reply, "cast_vote", "payload/invalid")
    assert fingerprint(db) == before


# --- who is asking ---------------------------------------------------------------------------------

def test_an_unknown_event_is_refused_out_loud(stranger, join, db):
    anna = join("Anna")
    before = fingerprint(db)
    for sender in (stranger, anna):
        assert_refused(sender, sender.call("delete_everything", {"all": True}), "delete_everything", "event/unknown")
        assert_refused(sender, sender.call("draw_card_now"), "draw_card_now", "event/unknown")
        assert_refused(sender, sender.call("z" * 5000, {}), "z" * 60, "event/unknown")  # the name is cut short
    assert fingerprint(db) == before


def test_a_player_event_from_a_connection_without_a_seat_is_refused(stranger, join, db):
    join("Anna")  # a real player, so a seat exists that a stranger might try to act for
    before = fingerprint(db)
    valid = {"get_state": {}, "draw_card": {"round": 1}, "cast_vote": {"round": 1, "choice": 1}, "close_vote": {"round": 1},
             "post_argument": {"round": 1, "id": "arg-vreemd-01", "text": "Hallo"}, "start_decision": {"round": 1},
             "record_decision": {"round": 1, "position": None}}
    assert set(valid) == set(PLAYER_EVENTS)
    for event, payload in valid.items():
        assert_refused(stranger, stranger.call(event, payload), event, "seat/none")
    assert fingerprint(db) == before


def test_a_facilitator_event_from_someone_not_logged_in_is_refused(team_of_three, stranger, room_code, db):
    anna, bas, _ = team_of_three
    drain(*team_of_three)
    before = fingerprint(db)
    for who in (bas, stranger):
        for event, payload in [("watch_room", {"code": room_code}), ("end_room", {"code": room_code}),
                               ("team_move", {"team_id": anna.team_id, "move": "draw_card", "round": 1})]:
            assert_refused(who, who.call(event, payload), event, "auth/facilitator_only")
    assert fingerprint(db) == before

    # The refused watch_room did not subscribe them to the room's progress either.
    assert anna.call("draw_card", {"round": 1})["ok"]
    assert bas.received("team_progress") == [] and stranger.received("team_progress") == []


# --- the rules, through the socket -----------------------------------------------------------------

def test_a_vote_before_the_card_is_drawn_is_refused(team_of_three, db):
    bas = team_of_three[1]
    before = fingerprint(db)
    assert_refused(bas, bas.call("cast_vote", {"round": 1, "choice": 1}), "cast_vote", "vote/wrong_phase")
    assert fingerprint(db) == before


def test_a_vote_after_the_reveal_is_refused(team_of_three, db):
    anna, bas, cem = team_of_three
    advance(team_of_three, "vote")
    assert anna.call("cast_vote", {"round": 1, "choice": 2})["ok"]
    assert cem.call("cast_vote", {"round": 1, "choice": 2})["revealed"] is True
    drain(*team_of_three)
    before = fingerprint(db)
    assert_refused(bas, bas.call("cast_vote", {"round": 1, "choice": 2}), "cast_vote", "vote/wrong_phase")
    assert fingerprint(db) == before


def test_an_action_for_a_round_that_has_moved_on_is_refused_as_stale(team_of_three, db):
    anna, bas, cem = team_of_three
    advance(team_of_three, "decide")
    assert anna.call("record_decision", {"round": 1, "position": None})["ok"]
    drain(*team_of_three)
    before = fingerprint(db)
    assert_refused(bas, bas.call("draw_card", {"round": 1}), "draw_card", "draw/stale_round")
    assert fingerprint(db) == before

    assert bas.call("draw_card", {"round": 2})["ok"]  # round 2: Bas's turn
    drain(*team_of_three)
    before = fingerprint(db)
    assert_refused(cem, cem.call("cast_vote", {"round": 1, "choice": 1}), "cast_vote", "vote/stale_round")
    assert_refused(bas, bas.call("close_vote", {"round": 3}), "close_vote", "vote/stale_round")
    assert fingerprint(db) == before


def test_a_player_of_team_b_cannot_affect_team_a(team_of_three, join, db):
    anna, bas, cem = team_of_three
    dirk = join("Dirk", "OR-lid", team=2)
    join("Eva", "HR", team=2)  # the quorum of two: Team B may draw
    assert dirk.team_id != anna.team_id
    advance(team_of_three, "vote")
    team_a = team_row(db, anna.team_id)
    with db.transaction() as s:
        votes_a = s.scalar(select(func.count()).select_from(VoteRecord))

    # Team A is voting on round 1; Team B is still drawing. Nothing Dirk sends can land in Team A.
    assert_refused(dirk, dirk.call("cast_vote", {"round": 1, "choice": 2}), "cast_vote", "vote/wrong_phase")
    assert_refused(dirk, dirk.call("close_vote", {"round": 1}), "close_vote", "vote/wrong_phase")
    assert_refused(dirk, dirk.call("post_argument", {"round": 1, "id": "arg-dirk-0001", "text": "Ik stem mee"}),
                   "post_argument", "argument/wrong_phase")
    for smuggled in ({"team": 1}, {"team_id": anna.team_id}, {"player_id": anna.player_id}):
        assert_refused(dirk, dirk.call("cast_vote", {"round": 1, "choice": 2, **smuggled}), "cast_vote", "payload/invalid")
    assert team_row(db, anna.team_id) == team_a

    # Dirk's own move changes Team B only, and Team A hears nothing of it.
    reply = dirk.call("draw_card", {"round": 1})
    assert reply["ok"], reply
    assert dirk.last_state()["team"]["team"]["id"] == dirk.team_id
    assert team_row(db, anna.team_id) == team_a
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(VoteRecord)) == votes_a
    for p in (anna, bas, cem):
        assert p.received("state") == []
    assert dirk.call("get_state")["team"]["team"]["id"] == dirk.team_id


# --- taking a seat -----------------------------------------------------------------------------------

BAD_SEATS = [
    ({"code": "ABCD-EFGH"}, "room/not_found"),
    ({"code": "niet-een-code"}, "room/not_found"),
    ({"code": ""}, "room/not_found"),
    ({"role": "Directeur-generaal"}, "seat/invalid_role"),
    ({"role": "hr"}, "seat/invalid_role"),
    ({"role": ""}, "seat/invalid_role"),
    ({"team": 3}, "seat/invalid_team"),
    ({"team": 20}, "seat/invalid_team"),
    ({"name": ""}, "seat/invalid_name"),
    ({"name": "    "}, "seat/invalid_name"),
    ({"name": "\n\t"}, "seat/invalid_name"),
]


def test_a_seat_with_a_bad_code_role_team_or_name_is_refused(stranger, room_code, db):
    before = fingerprint(db)
    for change, code in BAD_SEATS:
        reply = stranger.call("take_seat", {"code": room_code, "name": "Eva", "role": "HR", "team": 1, **change})
        assert reply["error"]["code"] == code, (change, reply)
        assert_refused(stranger, reply, "take_seat", code)
    assert fingerprint(db) == before
    assert_refused(stranger, stranger.call("get_state", {}), "get_state", "seat/none")


def test_a_seated_connection_cannot_take_a_second_seat(team_of_three, room_code, db):
    anna = team_of_three[0]
    before = fingerprint(db)
    reply = anna.call("take_seat", {"code": room_code, "name": "Anna 2", "role": "HR", "team": 2})
    assert_refused(anna, reply, "take_seat", "seat/already_seated")
    assert fingerprint(db) == before


# --- tokens and rooms ----------------------------------------------------------------------------

def test_a_seat_token_of_another_room_gives_access_to_that_room_only(team_of_three, other_room, connect, room_code, db):
    anna = team_of_three[0]
    drain(*team_of_three)
    tablet = connect(token=other_room.player.token)
    states = tablet.received("state")
    assert states and all(s["team"]["room"]["code"] == other_room.code for s in states)
    assert tablet.call("get_state")["team"]["room"]["code"] == other_room.code
    team_a = team_row(db, anna.team_id)

    assert_refused(tablet, tablet.call("take_seat", {"code": room_code, "name": "Olga", "role": "HR", "team": 1}),
                   "take_seat", "seat/already_seated")
    assert tablet.call("draw_card", {"round": 1})["ok"]  # acts in its own room ...
    assert team_row(db, other_room.player.team_id)[0] == "vote"
    assert team_row(db, anna.team_id) == team_a       # ... and never in ours
    assert anna.received("state") == []


def test_an_unknown_seat_token_gives_no_seat(connect, team_of_three, db):
    before = fingerprint(db)
    token = team_of_three[0].token
    tablet = connect(token=token[:-1] + ("A" if token[-1] != "A" else "B"))  # one character off
    assert [(e["event"], e["code"]) for e in tablet.received("error")] == [("connect", "seat/unknown")]
    assert_refused(tablet, tablet.call("get_state", {}), "get_state", "seat/none")
    assert_refused(tablet, tablet.call("draw_card", {"round": 1}), "draw_card", "seat/none")
    assert fingerprint(db) == before


def test_a_facilitator_cannot_watch_move_or_end_another_facilitators_room(other_room, team_of_three, room_code, db):
    colleague = other_room.facilitator
    before = fingerprint(db)
    assert_refused(colleague, colleague.call("watch_room", {"code": room_code}), "watch_room", "room/not_your_room")
    assert_refused(colleague, colleague.call("end_room", {"code": room_code}), "end_room", "room/not_your_room")
    assert_refused(colleague, colleague.call("team_move", {"team_id": team_of_three[0].team_id, "move": "draw_card", "round": 1}),
                   "team_move", "room/not_your_room")
    assert fingerprint(db) == before


def test_a_facilitator_move_for_a_team_that_does_not_exist_is_refused(facilitator, db):
    before = fingerprint(db)
    reply = facilitator.call("team_move", {"team_id": 987654, "move": "draw_card", "round": 1})
    assert_refused(facilitator, reply, "team_move", "team/not_found")
    assert fingerprint(db) == before


# --- an ended room ---------------------------------------------------------------------------------

@pytest.mark.parametrize("phase", ["vote", "decide"])
def test_an_ended_room_refuses_every_action(phase, team_of_three, facilitator, stranger, room_code, db):
    anna, bas, _ = team_of_three
    advance(team_of_three, phase)
    assert facilitator.call("end_room", {"code": room_code})["ok"]
    drain(*team_of_three)
    facilitator.received("error")
    before = fingerprint(db)
    assert before["rooms"][0][1] is False

    attempts = [
        (anna, "draw_card", {"round": 1}),
        (bas, "cast_vote", {"round": 1, "choice": 2}),
        (anna, "close_vote", {"round": 1}),
        (bas, "post_argument", {"round": 1, "id": "arg-na-afloop", "text": "Te laat"}),
        (anna, "start_decision", {"round": 1}),
        (anna, "record_decision", {"round": 1, "position": 1}),
        (facilitator, "team_move", {"team_id": anna.team_id, "move": "draw_card", "round": 1}),
        (facilitator, "team_move", {"team_id": anna.team_id, "move": "close_vote", "round": 1}),
        (facilitator, "team_move", {"team_id": anna.team_id, "move": "start_decision", "round": 1}),
        (facilitator, "team_move", {"team_id": anna.team_id, "move": "skip_card", "round": 1}),
        (stranger, "take_seat", {"code": room_code, "name": "Laatkomer", "role": "HR"}),
    ]
    for sender, event, payload in attempts:
        assert_refused(sender, sender.call(event, payload), event, "room/closed")
    assert fingerprint(db) == before

    # Reading stays possible: the tablets show the final state, read-only.
    state = anna.call("get_state")
    assert state["ok"] and state["team"]["room_open"] is False


# --- ids no database column can hold (issue 15) -------------------------------------------------------

def _int_bounds(annotation: object) -> list[tuple[object, object]]:
    """(ge, le) of every integer found in a field's type, through Optional, unions, lists and nested payloads."""
    from typing import Annotated, get_args, get_origin

    from annotated_types import Ge, Le
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [b for f in annotation.model_fields.values() for b in _int_bounds_of_field(f)]
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        meta = [inner for m in meta for inner in (getattr(m, "metadata", None) or [m])]  # Field(ge=..) -> Ge, Le
        if base is int:
            ge = next((m.ge for m in meta if isinstance(m, Ge)), None)
            le = next((m.le for m in meta if isinstance(m, Le)), None)
            return [(ge, le)]
        return _int_bounds(base)
    if annotation is int:
        return [(None, None)]
    return [b for arg in get_args(annotation) for b in _int_bounds(arg)]


def _int_bounds_of_field(field) -> list[tuple[object, object]]:  # noqa: ANN001
    from typing import Annotated

    from annotated_types import Ge, Le

    if field.annotation is int:  # pydantic moved the Annotated metadata onto the field
        ge = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
        le = next((m.le for m in field.metadata if isinstance(m, Le)), None)
        return [(ge, le)]
    return _int_bounds(Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation)


def test_every_integer_of_every_socket_schema_has_bounds_a_database_column_can_hold():
    from pydantic import BaseModel

    from game.live import schemas
    from game.security import MAX_ID

    models = [m for m in vars(schemas).values() if isinstance(m, type) and issubclass(m, BaseModel) and m is not BaseModel]
    found = {m.__name__: _int_bounds(m) for m in models}
    assert sum(len(b) for b in found.values()) >= 15, found  # the walk does find the integers
    for name, bounds in found.items():
        for ge, le in bounds:
            assert ge is not None and le is not None, (name, bounds)
            assert -(2**31) <= ge and le <= MAX_ID, (name, bounds)


HUGE_IDS = [2**63, 2**63 - 1, 2**31, 10**30, -(2**63)]


def test_an_argument_id_of_two_to_the_63_is_refused_as_invalid_not_a_server_error(team_of_three, db, caplog):
    anna, bas, _ = team_of_three
    advance(team_of_three, "discuss")
    assert anna.call("post_argument", {"round": 1, "id": "arg-anna-0001", "text": "Eerst praten"})["ok"]
    drain(*team_of_three)
    before = fingerprint(db)
    for value in HUGE_IDS:
        caplog.clear()
        reply = bas.call("mark_helpful", {"round": 1, "argument": value})
        assert_refused(bas, reply, "mark_helpful", "payload/invalid")
        lines = [r for r in caplog.records if r.name == "game.live.events"]
        assert len(lines) == 1 and "payload/invalid" in lines[0].getMessage(), [r.getMessage() for r in caplog.records]
        assert not [r for r in caplog.records if r.exc_info]
    assert fingerprint(db) == before


@pytest.mark.parametrize(("event", "payload"), [
    ("team_move", lambda v, c: {"team_id": v, "move": "draw_card", "round": 1}),
    ("advance_team", lambda v, c: {"team_id": v}),
    ("move_player", lambda v, c: {"player_id": v, "team_id": 1}),
    ("move_player", lambda v, c: {"player_id": 1, "team_id": v}),
    ("remove_player", lambda v, c: {"player_id": v}),
])
def test_a_facilitator_id_no_table_can_hold_is_refused_as_invalid(event, payload, facilitator, team_of_three, room_code, db, caplog):
    facilitator.received("error")
    before = fingerprint(db)
    for value in HUGE_IDS:
        caplog.clear()
        reply = facilitator.call(event, payload(value, room_code))
        assert_refused(facilitator, reply, event, "payload/invalid")
        assert not [r for r in caplog.records if r.exc_info or "server/error" in r.getMessage()]
    assert fingerprint(db) == before
