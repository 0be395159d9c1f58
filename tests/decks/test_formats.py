"""Session formats: every bundled format loads and fits its deck; a room started from one has its settings and script."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from game.decks import load_deck_file
from game.play.formats import FormatError, formats_for, load_format_file, load_formats
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
    assert fmt.cards, f"{path.name} does not set how many cards"
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


class _Form(HTMLParser):
    """The fields of the new-session form as a browser would post them unchanged (first form with a submit)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._depth, self._done, self._textarea, self._select, self._first_option = 0, False, None, None, None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        a = dict(attrs)
        if self._done:
            return
        if tag == "form" and a.get("method") == "post" and not a.get("action"):
            self._depth = 1
        elif self._depth and tag == "input" and a.get("name"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = a.get("value") or "y"
            elif a["name"] != "csrf_token":
                self.values[a["name"]] = a.get("value") or ""
        elif self._depth and tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""
        elif self._depth and tag == "select":
            self._select, self._first_option = a["name"], None
        elif self._depth and tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.values.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):  # noqa: ANN001, ANN201
        if tag == "textarea":  # a browser drops the one newline that follows <textarea>
            value = self.values[self._textarea]
            self.values[self._textarea] = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._depth:
            self._depth, self._done = 0, True

    def handle_data(self, data):  # noqa: ANN001, ANN201
        if self._textarea:
            self.values[self._textarea] += data


def _prefilled(browser, page: str) -> dict[str, str]:  # noqa: ANN001
    parser = _Form()
    parser.feed(browser.get(page).get_data(as_text=True))
    return parser.values


def _create_unchanged(browser, page: str) -> str:  # noqa: ANN001
    """Open the sessions page at `page`, press 'Create session' without touching the form: the new room's code."""
    values = _prefilled(browser, page)
    reply = browser.post("/rooms", values, page=page)
    assert reply.status_code == 302, re.findall(r'class="error"[^>]*>([^<]+)', reply.get_data(as_text=True))
    return reply.headers["Location"].rstrip("/").split("/")[-1]


def _format_of(db, code: str) -> str | None:  # noqa: ANN001
    from game.store.models import RoomRecord
    with db.transaction() as session:
        return session.query(RoomRecord).filter_by(code=code).one().settings.get("format")


def test_the_whole_chain_of_follow_ups_runs_without_the_facilitator_writing_anything(browser, db):
    """First session, return session after the conversations, six months later: each one button press."""
    first = _create_unchanged(browser, "/rooms?format=hr-en-leidinggevenden")
    second = _create_unchanged(browser, f"/rooms?follow_up={first}")
    third = _create_unchanged(browser, f"/rooms?follow_up={second}")
    assert [_format_of(db, c) for c in (first, second, third)] == [
        "hr-en-leidinggevenden", "hr-en-leidinggevenden-na-de-gesprekken", "zes-maanden-later"]
    dashboard = browser.get(f"/rooms/{third}").get_data(as_text=True)
    assert 'data-testid="format-script"' in dashboard and "Zes maanden geleden" in dashboard


@pytest.mark.parametrize("start", ["plenaire-aftrap", "mt-het-goede-voorbeeld", None])
def test_planning_the_next_session_offers_the_six_month_format(browser, db, start):
    """Also after a kick-off or a room started without a format: the six-month follow-up is offered, deck kept."""
    page = f"/rooms?format={start}" if start else "/rooms"
    first = _create_unchanged(browser, page)
    values = _prefilled(browser, f"/rooms?follow_up={first}")
    assert values.get("format") == "zes-maanden-later" and values["previous"] == first
    assert values["deck"] == _prefilled(browser, page)["deck"]
    assert _format_of(db, _create_unchanged(browser, f"/rooms?follow_up={first}")) == "zes-maanden-later"


def test_an_english_room_is_offered_the_english_six_month_format(browser, db):
    reply = browser.post("/rooms", {"deck": "talent-and-passion", "teams": "Table 1", "roles": "HR\nLine manager",
                                    "pacing": "team", "vote_seconds": "60", "discuss_seconds": "300"}, page="/rooms")
    code = reply.headers["Location"].rstrip("/").split("/")[-1]
    values = _prefilled(browser, f"/rooms?follow_up={code}")
    assert (values.get("format"), values["deck"], values["role_groups"]) == ("six-months-on", "talent-and-passion", "Line managers: Line manager\nHR: HR")
    later = _create_unchanged(browser, f"/rooms?follow_up={code}")
    assert _format_of(db, later) == "six-months-on"
    assert "Six months ago we played these cards" in browser.get(f"/rooms/{later}").get_data(as_text=True)


def test_the_picker_lists_the_formats_to_start_with_before_the_follow_ups():
    listed = [f.slug for f in formats_for(ROOT / "formats", set(DECKS))]
    assert listed[:3] == ["hr-en-leidinggevenden", "mt-het-goede-voorbeeld", "plenaire-aftrap"]
    assert set(listed[3:]) == {"hr-en-leidinggevenden-na-de-gesprekken", "zes-maanden-later", "six-months-on"}


def test_each_language_has_one_default_follow_up_format():
    defaults = [f for f in load_formats(ROOT / "formats").values() if f.default_follow_up]
    assert sorted(f.language for f in defaults) == ["en", "nl"]
