"""The English decks: faithful card-for-card translations, and an English room plays with English roles and scale."""
from __future__ import annotations

import pytest

from game.decks import load_deck_file
from game.extensions import socketio
from game.play.rooms import RoomSpec, create_room
from game.rules.settings import RoomSettings
from tests.conftest import ROOT

ALONE = RoomSettings.from_dict({"team_quorum": 1})  # one player at the table may draw (issue 16 made the default 2)
PAIRS = [("talking-about-mobility", "mobiliteit-bespreekbaar"), ("talent-and-passion", "talent-en-passie")]


@pytest.mark.parametrize("english, dutch", PAIRS)
def test_an_english_deck_translates_its_dutch_deck_card_for_card(english, dutch):
    en, nl = (load_deck_file(ROOT / "decks" / f"{slug}.yml") for slug in (english, dutch))
    assert (en.language, nl.language) == ("en", "nl") and en.slug != nl.slug and en.themes == nl.themes
    assert len(en.cards) == len(nl.cards)
    for e, n in zip(en.cards, nl.cards):
        assert (e.kind, len(e.options), len(e.prompts), e.themes) == (n.kind, len(n.options), len(n.prompts), n.themes), e.id
        assert e.id.split("-")[1] == n.id.split("-")[1]


def test_an_english_room_plays_with_english_roles_and_the_english_scale(app, db):
    code = create_room(db, None, RoomSpec(deck_slug="talking-about-mobility", team_names=("Team 1",), shuffle=False, cards=2, settings=ALONE))
    client = socketio.test_client(app)
    seat = client.emit("take_seat", {"code": code, "name": "Sam", "role": "Line manager"}, callback=True)
    assert seat["ok"], seat
    assert seat["team"]["room"]["language"] == "en" and "Works council" in seat["team"]["room"]["roles"]
    client.emit("draw_card", {"round": 1}, callback=True)
    card = client.emit("get_state", {}, callback=True)["team"]["card"]
    assert card["title"] == "When do you bring it up?" and card["choices"][0]["label"].startswith("I start the conversation")
    client.disconnect()


def test_an_english_statement_is_rated_on_the_english_scale(app, db):
    code = create_room(db, None, RoomSpec(deck_slug="talking-about-mobility", team_names=("Team 1",), shuffle=False, cards=2, settings=ALONE))
    client = socketio.test_client(app)
    client.emit("take_seat", {"code": code, "name": "Sam", "role": "HR"}, callback=True)
    client.emit("draw_card", {"round": 1}, callback=True)
    client.emit("close_vote", {"round": 1}, callback=True)
    client.emit("cast_vote", {"round": 1, "choice": 1}, callback=True)
    client.emit("start_decision", {"round": 1}, callback=True)
    client.emit("record_decision", {"round": 1, "position": 1, "rationale": "Early is better."}, callback=True)
    client.emit("draw_card", {"round": 2}, callback=True)
    team = client.emit("get_state", {}, callback=True)["team"]
    assert team["card"]["kind"] == "statement"
    assert [c["label"] for c in team["card"]["choices"]] == ["strongly disagree", "disagree", "neutral", "agree", "strongly agree"]
    client.disconnect()
