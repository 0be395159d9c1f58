"""Session formats: every bundled format loads and fits its deck; a room started from one has its settings and script."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.decks import load_deck_file
from game.play.formats import FormatError, load_format_file, load_formats
from game.play.rooms import DEFAULT_ROLES
from tests.conftest import ROOT

FORMATS = sorted((ROOT / "formats").glob("*.yml"))
DECKS = {p.stem: load_deck_file(p) for p in (ROOT / "decks").glob("*.yml")}


def test_the_three_formats_of_the_issue_are_shipped():
    formats = load_formats(ROOT / "formats")
    assert len(formats) == len(FORMATS) >= 3
    assert {"hr-en-leidinggevenden", "mt-het-goede-voorbeeld", "plenaire-aftrap"} <= set(formats)


@pytest.mark.parametrize("path", FORMATS, ids=lambda p: p.name)
def test_a_format_plays_a_bundled_deck_with_enough_cards(path: Path):
    fmt = load_format_file(path)
    deck = DECKS[fmt.deck]
    assert deck.language == fmt.language
    assert fmt.cards is None or fmt.cards <= len(deck.cards)


@pytest.mark.parametrize("path", FORMATS, ids=lambda p: p.name)
def test_a_format_sets_every_mechanic_and_a_script_for_start_end_and_the_main_phases(path: Path):
    fmt = load_format_file(path)
    for key in ("pacing", "second_vote", "predictions", "vote_seconds", "discuss_seconds", "min_group", "role_groups"):
        assert key in fmt.settings, f"{path.name} does not set {key}"
    assert {"vote", "reveal", "discuss", "decide"} <= set(fmt.script["phases"])


@pytest.mark.parametrize("path", FORMATS, ids=lambda p: p.name)
def test_the_role_groups_of_a_format_name_roles_players_can_choose(path: Path):
    fmt = load_format_file(path)
    roles = set(fmt.roles or DEFAULT_ROLES[fmt.language])
    for group in fmt.settings["role_groups"]:
        assert set(group["roles"]) <= roles, f"{path.name}: {group['name']}"


def test_a_follow_up_names_a_format_that_exists():
    formats = load_formats(ROOT / "formats")
    assert formats["hr-en-leidinggevenden"].follow_up == "hr-en-leidinggevenden-na-de-gesprekken"
    assert formats["hr-en-leidinggevenden-na-de-gesprekken"].follow_up == "zes-maanden-later"
    for fmt in formats.values():
        assert fmt.follow_up is None or fmt.follow_up in formats


def test_a_format_with_an_unknown_setting_is_refused_naming_it(tmp_path: Path):
    text = (ROOT / "formats" / "plenaire-aftrap.yml").read_text(encoding="utf-8").replace("  pacing: plenary", "  pace: plenary")
    path = tmp_path / "plenaire-aftrap.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match="unknown settings"):
        load_format_file(path)


# --- in the facilitator's pages ------------------------------------------------------------------



def test_a_format_link_fills_the_form_and_the_room_gets_its_settings_and_script(browser, db):
    html = browser.get("/rooms?format=hr-en-leidinggevenden").get_data(as_text=True)
    assert 'name="format" value="hr-en-leidinggevenden"' in html and 'data-testid="chosen-format"' in html
    reply = browser.post("/rooms", {
        "format": "hr-en-leidinggevenden", "deck": "mobiliteit-bespreekbaar", "cards": "5", "teams": "Tafel 1\nTafel 2",
        "roles": "Leidinggevende\nHR\nMT-lid\nOR-lid", "pacing": "team", "second_vote": "y", "predictions": "y",
        "comfort": "y", "vote_seconds": "90", "discuss_seconds": "600"}, page="/rooms?format=hr-en-leidinggevenden")
    assert reply.status_code == 302, reply.get_data(as_text=True)[:2000]
    dashboard = browser.get(reply.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="format-script"' in dashboard and "geplande gesprekken" in dashboard
    from game.store.models import RoomRecord
    with db.transaction() as session:
        room = session.query(RoomRecord).one()
        assert room.settings["format"] == "hr-en-leidinggevenden"
        assert (room.settings["vote_seconds"], room.settings["points"], room.settings.get("min_group")) == (90, False, 5)


def test_the_follow_up_of_a_format_room_is_offered_its_follow_up_format(browser, db):
    page = "/rooms?format=mt-het-goede-voorbeeld"
    reply = browser.post("/rooms", {
        "format": "mt-het-goede-voorbeeld", "deck": "voorbeeld-geven", "cards": "7", "teams": "MT",
        "roles": "Bestuurder / directeur\nMT-lid\nHR\nOR-lid", "pacing": "plenary", "vote_seconds": "60"}, page=page)
    code = reply.headers["Location"].rstrip("/").split("/")[-1]
    html = browser.get(f"/rooms?follow_up={code}").get_data(as_text=True)
    assert 'name="format" value="zes-maanden-later"' in html
    assert re.search(r'<option selected value="voorbeeld-geven"|<option value="voorbeeld-geven" selected', html)


def test_a_room_without_a_format_shows_no_script(browser):
    reply = browser.post("/rooms", {"deck": "mobiliteit-bespreekbaar", "teams": "Tafel 1", "roles": "HR\nLeidinggevende",
                                    "pacing": "team"}, page="/rooms")
    assert 'data-testid="format-script"' not in browser.get(reply.headers["Location"]).get_data(as_text=True)
